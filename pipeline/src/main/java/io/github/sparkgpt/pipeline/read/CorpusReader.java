package io.github.sparkgpt.pipeline.read;

import io.github.sparkgpt.pipeline.StageOutput;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The read stage: input paths to an RDD of kept {@link io.github.sparkgpt.pipeline.Document}s and
 * {@link io.github.sparkgpt.pipeline.RejectedDocument}s (stage {@code read}).
 *
 * <p>On the driver, {@link #plan} expands the paths (files, directories recursively, Hadoop globs, any Hadoop
 * FileSystem URI) into a sorted file list; a path that matches nothing is an error, not a rejection. The files are
 * then spread over partitions by size and each task streams its files one record at a time. A file is never split
 * across tasks: gzip and zstd streams cannot be split, WARC records and HTML pages are per file anyway, and line
 * numbers in ids need a read from the start of the file. Many files give parallelism; a single huge uncompressed
 * file is read by one task (repartition the result if later stages need more).
 *
 * <p>Every threshold is a fluent setter bound from the {@code read} config section by
 * {@link io.github.sparkgpt.pipeline.ConfigBinder}.
 */
public final class CorpusReader implements Serializable {
  private static final long serialVersionUID = 1L;

  private String format = "auto";
  private String textField = "text";
  private String idField = "id";
  private String textColumn = "text";
  private String idColumn = "";
  private long maxDocBytes = 10_000_000L;
  private long maxRecordBytes = 64L << 20;
  private int binaryMaxNulChars = 0;
  private double binaryMaxControlFraction = 0.10;
  private int binarySniffBytes = 8192;
  private int rejectedTextMaxChars = 10_000;
  private List<String> warcContentTypes = List.of("text/html", "application/xhtml+xml");
  private List<String> warcTextTypes = List.of("text/plain");
  private int ioRetries = 3;
  private long parquetMaxRowGroupTextBytes = 1L << 30;
  private long ioRetryWaitMs = 1000;
  private int partitions = 0;
  private String unwrap = "auto";
  private String split = "auto";
  private long splitMaxBytes = 65_536L;
  private long splitMinBytes = 2_048L;

  /** {@code auto} (by extension) or one of text, text_lines, jsonl, html, warc, parquet for every file. */
  public CorpusReader setFormat(String v) { format = v; return this; }
  /** JSONL: the field holding the document text. */
  public CorpusReader setTextField(String v) { textField = v; return this; }
  /** JSONL: the field holding the record id; records without it get {@code path#L<line>}. */
  public CorpusReader setIdField(String v) { idField = v; return this; }
  /** Parquet: the string column holding the document text. */
  public CorpusReader setTextColumn(String v) { textColumn = v; return this; }
  /** Parquet: the id column; empty means ids by row position {@code path#row=<n>}. */
  public CorpusReader setIdColumn(String v) { idColumn = v; return this; }
  /** Documents whose UTF-8 text is longer are rejected ({@code read_too_large}) with the head of the text kept. */
  public CorpusReader setMaxDocBytes(long v) { maxDocBytes = v; return this; }
  /** Raw records (a JSONL line, an HTML page, a WARC body) longer than this are rejected without parsing. */
  public CorpusReader setMaxRecordBytes(long v) { maxRecordBytes = v; return this; }
  /** More NUL characters than this in a document means binary content. */
  public CorpusReader setBinaryMaxNulChars(int v) { binaryMaxNulChars = v; return this; }
  /** A larger share of control characters (except tab/newline/CR/FF) plus U+FFFD means binary content. */
  public CorpusReader setBinaryMaxControlFraction(double v) { binaryMaxControlFraction = v; return this; }
  /** Line formats: bytes at the head of a file checked for binary content, to reject the file whole. */
  public CorpusReader setBinarySniffBytes(int v) { binarySniffBytes = v; return this; }
  /** Text kept in a rejection row is cut to this many characters. */
  public CorpusReader setRejectedTextMaxChars(int v) { rejectedTextMaxChars = v; return this; }
  /** WARC: HTTP content types (base type, lower case) that are read as HTML pages. */
  public CorpusReader setWarcContentTypes(List<String> v) { warcContentTypes = List.copyOf(v); return this; }
  /** WARC: payload content types read as plain text (WET conversion records, text/plain pages and resources). */
  public CorpusReader setWarcTextTypes(List<String> v) { warcTextTypes = List.copyOf(v); return this; }
  /** Parquet: a row group whose text column is larger (uncompressed) is not read; its rows become read_too_large. */
  public CorpusReader setParquetMaxRowGroupTextBytes(long v) { parquetMaxRowGroupTextBytes = v; return this; }
  /** Times a read failing with a storage error (not corrupt data) is retried, reopening the file, per failure. */
  public CorpusReader setIoRetries(int v) { ioRetries = v; return this; }
  /** Wait before the first retry of a failed read; doubles with each further retry. */
  public CorpusReader setIoRetryWaitMs(long v) { ioRetryWaitMs = v; return this; }
  /** Number of read partitions; 0 = min(number of files, 4 x default parallelism). */
  public CorpusReader setPartitions(int v) { partitions = v; return this; }
  /** Text files: join the lines of hard-wrapped paragraphs: {@code auto} (detected), {@code always}, {@code never}. */
  public CorpusReader setUnwrap(String v) { unwrap = v; return this; }
  /** Text files: cut long files into documents: {@code auto} (headings, then paragraphs), {@code paragraphs}, {@code never}. */
  public CorpusReader setSplit(String v) { split = v; return this; }
  /** Text files longer than this (UTF-8 bytes) are cut into parts of at most this size (a longer line stays whole). */
  public CorpusReader setSplitMaxBytes(long v) { splitMaxBytes = v; return this; }
  /** A part is closed at a chapter heading only once it holds this many bytes (front matter stays with chapter 1). */
  public CorpusReader setSplitMinBytes(long v) { splitMinBytes = v; return this; }

  public String getFormat() { return format; }
  public String getTextField() { return textField; }
  public String getIdField() { return idField; }
  public String getTextColumn() { return textColumn; }
  public String getIdColumn() { return idColumn; }
  public long getMaxDocBytes() { return maxDocBytes; }
  public long getMaxRecordBytes() { return maxRecordBytes; }
  public int getBinaryMaxNulChars() { return binaryMaxNulChars; }
  public double getBinaryMaxControlFraction() { return binaryMaxControlFraction; }
  public int getBinarySniffBytes() { return binarySniffBytes; }
  public int getRejectedTextMaxChars() { return rejectedTextMaxChars; }
  public List<String> getWarcContentTypes() { return warcContentTypes; }
  public List<String> getWarcTextTypes() { return warcTextTypes; }
  public int getIoRetries() { return ioRetries; }
  public long getParquetMaxRowGroupTextBytes() { return parquetMaxRowGroupTextBytes; }
  public long getIoRetryWaitMs() { return ioRetryWaitMs; }
  public int getPartitions() { return partitions; }
  public String getUnwrap() { return unwrap; }
  public String getSplit() { return split; }
  public long getSplitMaxBytes() { return splitMaxBytes; }
  public long getSplitMinBytes() { return splitMinBytes; }

  /** Throw {@link IllegalArgumentException} naming the option and what to do. */
  public CorpusReader validate() {
    if (!format.equals("auto")) {
      try {
        InputFormat.parse(format);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("read.format '" + format
            + "' is unknown: use auto, text, text_lines, jsonl, html, warc or parquet");
      }
    }
    requireNonBlank("read.text_field", textField);
    requireNonBlank("read.id_field", idField);
    requireNonBlank("read.text_column", textColumn);
    if (idColumn == null) throw new IllegalArgumentException("read.id_column must be a string (empty = row ids)");
    long maxArray = Integer.MAX_VALUE - 16;
    if (maxDocBytes < 1 || maxDocBytes > maxArray) {
      throw new IllegalArgumentException("read.max_doc_bytes must be in 1.." + maxArray + ", got " + maxDocBytes);
    }
    if (maxRecordBytes < 1 || maxRecordBytes > maxArray) {
      throw new IllegalArgumentException("read.max_record_bytes must be in 1.." + maxArray + ", got " + maxRecordBytes);
    }
    if (binaryMaxNulChars < 0) throw new IllegalArgumentException("read.binary_max_nul_chars must be >= 0");
    if (!(binaryMaxControlFraction >= 0 && binaryMaxControlFraction <= 1)) {
      throw new IllegalArgumentException("read.binary_max_control_fraction must be in [0, 1], got "
          + binaryMaxControlFraction);
    }
    if (binarySniffBytes < 1 || binarySniffBytes > 65536) {
      throw new IllegalArgumentException("read.binary_sniff_bytes must be in 1..65536, got " + binarySniffBytes);
    }
    if (rejectedTextMaxChars < 0) throw new IllegalArgumentException("read.rejected_text_max_chars must be >= 0");
    if (warcContentTypes.isEmpty()) {
      throw new IllegalArgumentException("read.warc_content_types must list at least one type, e.g. text/html");
    }
    if (partitions < 0) throw new IllegalArgumentException("read.partitions must be >= 0 (0 = automatic)");
    if (parquetMaxRowGroupTextBytes < 1) {
      throw new IllegalArgumentException("read.parquet_max_row_group_text_bytes must be >= 1, got "
          + parquetMaxRowGroupTextBytes);
    }
    if (ioRetries < 0 || ioRetries > 20) {
      throw new IllegalArgumentException("read.io_retries must be in 0..20, got " + ioRetries);
    }
    if (ioRetryWaitMs < 0) throw new IllegalArgumentException("read.io_retry_wait_ms must be >= 0, got " + ioRetryWaitMs);
    HardWrap.Mode.parse(unwrap);
    TextSplitter.Mode.parse(split);
    if (splitMaxBytes < 1) throw new IllegalArgumentException("read.split_max_bytes must be >= 1, got " + splitMaxBytes);
    if (splitMinBytes < 0) throw new IllegalArgumentException("read.split_min_bytes must be >= 0, got " + splitMinBytes);
    return this;
  }

  private static void requireNonBlank(String key, String v) {
    if (v == null || v.isBlank()) throw new IllegalArgumentException(key + " must not be empty");
  }

  // ---------------------------------------------------------------- driver side: paths to files

  /**
   * Expand input paths into the sorted, de-duplicated list of files to read. Directories are listed recursively,
   * skipping names that start with {@code .} or {@code _} ({@code _SUCCESS}, {@code .crc}); a glob or a file named
   * explicitly is taken as given. A directory reached again through a symbolic link is listed once: a link back to
   * one of its own ancestors (a loop, which would recurse forever) and a second link to a directory already listed
   * are skipped, counted in {@link ReadPlan#counters()} and named in {@link ReadPlan#skipped()}.
   *
   * <p>Each file's id ({@link InputFile#id()}) is its path below the input root it was found under, after the root's
   * name, so a corpus moved or copied elsewhere keeps its ids and its train/validation split: input
   * {@code /data/books} gives {@code books/austen/emma.txt}, a file named directly its own name, a glob the path
   * below its last directory without wildcards. Files that would share an id (two inputs with one name) keep their
   * full paths instead.
   *
   * @throws IllegalArgumentException if a path does not exist, a glob matches nothing or a directory has no files
   */
  public ReadPlan plan(Configuration conf, List<String> paths) {
    validate();
    if (paths == null || paths.isEmpty()) throw new IllegalArgumentException("no input paths given");
    Map<String, Planned> files = new TreeMap<>();
    Listing listing = new Listing();
    for (String input : paths) {
      try {
        Path p = new Path(input);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException("input path does not exist or matches no file: " + input);
        }
        Path root = fs.makeQualified(globRoot(p));
        int before = files.size();
        for (FileStatus m : matches) {
          if (m.isDirectory()) listing.list(fs, m.getPath(), root, files);
          else files.putIfAbsent(m.getPath().toString(), new Planned(m, idFor(root, m.getPath())));
        }
        if (files.size() == before && !anyKnown(files, matches)) {
          throw new IllegalArgumentException("input path contains no files: " + input);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input path " + input + ": " + e.getMessage(), e);
      }
    }
    Map<String, Long> idCounts = new HashMap<>();
    for (Planned f : files.values()) idCounts.merge(f.id(), 1L, Long::sum);
    List<InputFile> out = new ArrayList<>();
    for (Planned planned : files.values()) {
      FileStatus st = planned.status();
      String name = st.getPath().getName();
      InputFormat f = format.equals("auto") ? InputFormat.forFileName(name) : InputFormat.parse(format);
      Compression c = f == InputFormat.PARQUET ? Compression.NONE : Compression.forFileName(name);
      String path = st.getPath().toString();
      out.add(new InputFile(path, st.getLen(), f, c, idCounts.get(planned.id()) > 1 ? path : planned.id()));
    }
    return new ReadPlan(out, listing.counters, listing.skipped);
  }

  /** A file found while planning, with the id it gets. */
  private record Planned(FileStatus status, String id) {}

  /** The directory an input's ids are relative to: the input itself, or for a glob its last wildcard-free parent. */
  static Path globRoot(Path input) {
    Path root = input;
    for (Path p = input; p != null; p = p.getParent()) {
      if (hasGlob(p.getName())) root = p.getParent();
    }
    return root == null ? input : root;
  }

  private static boolean hasGlob(String name) {
    for (char ch : name.toCharArray()) if ("*?[]{}\\".indexOf(ch) >= 0) return true;
    return false;
  }

  /** {@code <root name>/<path below root>}; the full path when the file is not below the root. */
  static String idFor(Path root, Path file) {
    String r = root.toString();
    String f = file.toString();
    String name = root.getName();
    if (f.equals(r)) return name.isEmpty() ? f : name;
    String prefix = r.endsWith("/") ? r : r + "/";
    if (!f.startsWith(prefix)) return f;
    String rel = f.substring(prefix.length());
    return name.isEmpty() ? rel : name + "/" + rel;
  }

  /** True if the matched paths were already planned (the same input given twice is not an error). */
  private static boolean anyKnown(Map<String, Planned> files, FileStatus[] matches) {
    for (FileStatus m : matches) {
      String p = m.getPath().toString();
      if (files.containsKey(p) || files.keySet().stream().anyMatch(k -> k.startsWith(p + "/"))) return true;
    }
    return false;
  }

  /** Recursive directory listing that lists each real directory once. */
  private static final class Listing {
    private final Set<String> listed = new HashSet<>();
    private final Map<String, Long> counters = new TreeMap<>();
    private final List<String> skipped = new ArrayList<>();

    void list(FileSystem fs, Path dir, Path root, Map<String, Planned> files) throws IOException {
      list(fs, dir, root, files, new ArrayList<>());
    }

    private void list(FileSystem fs, Path dir, Path root, Map<String, Planned> files, List<String> ancestors)
        throws IOException {
      String real = realPath(fs, dir);
      if (ancestors.contains(real)) {
        skip(ReadPlan.SYMLINK_LOOPS, dir + " is a link back to its ancestor " + real);
        return;
      }
      if (!listed.add(real)) {
        skip(ReadPlan.REPEATED_DIRECTORIES, dir + " is " + real + ", listed already");
        return;
      }
      ancestors.add(real);
      // listStatus, not listFiles(dir, true): on the local filesystem the latter builds LocatedFileStatus objects
      // whose permissions Hadoop reads by forking `ls` once per file (seconds for a few hundred files).
      FileStatus[] children = fs.listStatus(dir);
      // By name, so which of two links to one directory is listed (and gives the ids) does not depend on the OS.
      java.util.Arrays.sort(children, Comparator.comparing(st -> st.getPath().getName()));
      for (FileStatus st : children) {
        if (isHidden(st.getPath().getName())) continue;
        if (st.isDirectory()) list(fs, st.getPath(), root, files, ancestors);
        else files.putIfAbsent(st.getPath().toString(), new Planned(st, idFor(root, st.getPath())));
      }
      ancestors.remove(ancestors.size() - 1);
    }

    private void skip(String counter, String why) {
      counters.merge(counter, 1L, Long::sum);
      skipped.add(why);
    }
  }

  /** The directory with every symbolic link resolved: the local filesystem through java.nio, others through Hadoop. */
  private static String realPath(FileSystem fs, Path dir) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      return java.nio.file.Paths.get(fs.makeQualified(dir).toUri()).toRealPath().toString();
    }
    return fs.resolvePath(dir).toString();
  }

  private static boolean isHidden(String relativePath) {
    for (String part : relativePath.split("/")) {
      if (part.startsWith(".") || part.startsWith("_")) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------- reading

  public JavaRDD<StageOutput> read(SparkSession spark, List<String> paths) {
    return read(JavaSparkContext.fromSparkContext(spark.sparkContext()), paths);
  }

  public JavaRDD<StageOutput> read(JavaSparkContext jsc, List<String> paths) {
    return read(jsc, plan(jsc.hadoopConfiguration(), paths));
  }

  /** Read a plan made by {@link #plan}; use this form to report {@link ReadPlan#totalBytes()} as throughput. */
  public JavaRDD<StageOutput> read(JavaSparkContext jsc, ReadPlan plan) {
    validate();
    int n = partitions > 0 ? partitions : Math.max(1, Math.min(plan.files().size(), 4 * jsc.defaultParallelism()));
    List<List<InputFile>> groups = balance(plan.files(), n);
    // Spark's own wrapper: Java- and Kryo-serializable (broadcasts use spark.serializer, which may be Kryo).
    Broadcast<SerializableConfiguration> conf = jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    CorpusReader options = this;
    return jsc.parallelize(groups, groups.size()).flatMap(group -> {
      FilesIterator it = new FilesIterator(group, options, conf.value().value());
      TaskContext task = TaskContext.get();
      if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> it.close()); // failure, early stop
      return it;
    });
  }

  /** Stream the outputs of one file outside Spark (tests, benchmarks, tools). Close it if not read to the end. */
  public FileRecordsIterator readFile(InputFile file, Configuration conf) {
    validate();
    FileRecords r = open(file, conf);
    return new FileRecordsIterator(r);
  }

  /** Largest files first, each into the currently lightest group: sizes even out, order inside a group is stable. */
  static List<List<InputFile>> balance(List<InputFile> files, int n) {
    List<List<InputFile>> groups = new ArrayList<>();
    long[] load = new long[Math.max(1, Math.min(n, files.size()))];
    for (int i = 0; i < load.length; i++) groups.add(new ArrayList<>());
    List<InputFile> bySize = new ArrayList<>(files);
    bySize.sort(Comparator.comparingLong(InputFile::length).reversed().thenComparing(InputFile::path));
    for (InputFile f : bySize) {
      int best = 0;
      for (int i = 1; i < load.length; i++) if (load[i] < load[best]) best = i;
      groups.get(best).add(f);
      load[best] += Math.max(1, f.length());
    }
    for (List<InputFile> g : groups) g.sort(Comparator.comparing(InputFile::path));
    return groups;
  }

  static FileRecords open(InputFile file, CorpusReader options, Configuration conf) {
    return switch (file.format()) {
      case TEXT -> new TextFileRecords(file, options, conf);
      case TEXT_LINES -> new TextLinesRecords(file, options, conf);
      case JSONL -> new JsonlRecords(file, options, conf);
      case HTML -> new HtmlFileRecords(file, options, conf);
      case WARC -> new WarcFileRecords(file, options, conf);
      case PARQUET -> new ParquetFileRecords(file, options, conf);
    };
  }

  private FileRecords open(InputFile file, Configuration conf) {
    return open(file, this, conf);
  }

  /** The outputs of one file; {@link #close()} releases the file if the caller stops early. */
  public static final class FileRecordsIterator implements Iterator<StageOutput>, AutoCloseable {
    private final FileRecords records;

    FileRecordsIterator(FileRecords records) {
      this.records = records;
    }

    @Override public boolean hasNext() { return records.hasNext(); }
    @Override public StageOutput next() { return records.next(); }
    @Override public void close() { records.close(); }
  }

  /** The files of one partition, one after another, each opened only when the previous one is exhausted. */
  private static final class FilesIterator implements Iterator<StageOutput> {
    private final Iterator<InputFile> files;
    private final CorpusReader options;
    private final Configuration conf;
    private FileRecords current;

    FilesIterator(List<InputFile> files, CorpusReader options, Configuration conf) {
      this.files = files.iterator();
      this.options = options;
      this.conf = conf;
    }

    @Override public boolean hasNext() {
      while (current == null || !current.hasNext()) {
        if (!files.hasNext()) return false;
        current = open(files.next(), options, conf);
      }
      return true;
    }

    @Override public StageOutput next() {
      if (!hasNext()) throw new NoSuchElementException();
      return current.next();
    }

    void close() {
      if (current != null) current.close();
    }
  }
}
