package io.github.sparkgpt.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds a configuration section onto an object's fluent setters: key {@code min_doc_words} calls
 * {@code setMinDocWords(...)}. Supported parameter types: int, long, double, boolean, String, List
 * of String, Set of String. An unknown key or a value of the wrong type fails with the full key
 * path, the closest known key and the known keys, so a typo in a config file is caught before Spark
 * starts instead of being silently ignored. (Jobs also check every key path against their defaults
 * file first, see {@link ConfigKeys}.)
 */
public final class ConfigBinder {
  private ConfigBinder() {}

  /**
   * Apply every key of {@code section} (except those in {@code ignored}) to {@code target}; return
   * target.
   */
  public static <T> T bind(T target, Config section, String path, String... ignored) {
    Set<String> skip = Set.of(ignored);
    for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
      String key = e.getKey();
      if (skip.contains(key)) continue;
      String full = path.isEmpty() ? key : path + "." + key;
      Method setter = setterFor(target.getClass(), key);
      if (setter == null) {
        List<String> known = new ArrayList<>();
        for (String k : knownKeys(target.getClass()))
          known.add(path.isEmpty() ? k : path + "." + k);
        throw new IllegalArgumentException(
            ConfigKeys.unknownKeyMessage(full, known)
                + "; known keys"
                + (path.isEmpty() ? "" : " under '" + path + "'")
                + ": "
                + String.join(", ", knownKeys(target.getClass())));
      }
      Object value =
          convert(section, key, full, setter.getGenericParameterTypes()[0].getTypeName());
      try {
        setter.invoke(target, value);
      } catch (InvocationTargetException ex) {
        Throwable cause = ex.getCause();
        throw new IllegalArgumentException(
            "invalid value for '" + full + "': " + cause.getMessage(), cause);
      } catch (IllegalAccessException ex) {
        throw new IllegalStateException(ex);
      }
    }
    return target;
  }

  /**
   * The snake_case keys {@code type} accepts, derived from its one-argument {@code setXxx} methods.
   */
  public static Set<String> knownKeys(Class<?> type) {
    Set<String> keys = new TreeSet<>();
    for (Method m : type.getMethods()) {
      if (m.getName().startsWith("set") && m.getParameterCount() == 1 && m.getName().length() > 3) {
        keys.add(toSnake(m.getName().substring(3)));
      }
    }
    return keys;
  }

  private static Method setterFor(Class<?> type, String key) {
    String name = "set" + toCamel(key);
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) return m;
    }
    return null;
  }

  private static Object convert(Config c, String key, String full, String type) {
    try {
      switch (type) {
        case "int":
          return c.getInt(key);
        case "long":
          return c.getLong(key);
        case "double":
          return c.getDouble(key);
        case "boolean":
          return c.getBoolean(key);
        case "java.lang.String":
          return c.getString(key);
        case "java.util.List<java.lang.String>":
          return new ArrayList<>(c.getStringList(key));
        case "java.util.Set<java.lang.String>":
          return new LinkedHashSet<>(c.getStringList(key));
        default:
          throw new IllegalStateException(
              "ConfigBinder cannot bind parameter type " + type + " of " + full);
      }
    } catch (ConfigException.WrongType ex) {
      throw new IllegalArgumentException(
          "option '" + full + "' must be " + describe(type) + ": " + ex.getMessage());
    }
  }

  private static String describe(String type) {
    return switch (type) {
      case "int", "long" -> "an integer";
      case "double" -> "a number";
      case "boolean" -> "true or false";
      case "java.lang.String" -> "a string";
      default -> "a list of strings";
    };
  }

  static String toCamel(String snake) {
    StringBuilder sb = new StringBuilder();
    boolean up = true;
    for (char ch : snake.toCharArray()) {
      if (ch == '_' || ch == '-') {
        up = true;
        continue;
      }
      sb.append(up ? Character.toUpperCase(ch) : ch);
      up = false;
    }
    return sb.toString();
  }

  static String toSnake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char ch = camel.charAt(i);
      if (Character.isUpperCase(ch)) {
        if (i > 0) sb.append('_');
        sb.append(Character.toLowerCase(ch));
      } else sb.append(ch);
    }
    return sb.toString();
  }
}
