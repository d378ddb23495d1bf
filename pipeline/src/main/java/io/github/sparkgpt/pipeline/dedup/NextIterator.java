package io.github.sparkgpt.pipeline.dedup;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator defined by one method that returns the next element or calls {@link #done()}. Used to
 * stream sorted shuffle output group by group without buffering a whole group (a boilerplate page
 * can have a million copies).
 */
abstract class NextIterator<T> implements Iterator<T> {
  private T next;
  private boolean ready;
  private boolean finished;

  /** Return the next element, or {@code done()} when there is none. */
  protected abstract T computeNext();

  protected final T done() {
    finished = true;
    return null;
  }

  @Override
  public final boolean hasNext() {
    if (!ready && !finished) {
      next = computeNext();
      ready = !finished;
    }
    return ready;
  }

  @Override
  public final T next() {
    if (!hasNext()) throw new NoSuchElementException();
    ready = false;
    T t = next;
    next = null;
    return t;
  }
}
