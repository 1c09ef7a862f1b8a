package org.ecpds.cli;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * picocli's object factory for the command's classes. picocli's default one looks for Groovy's
 * {@code Closure} when it is first used, and that miss searches every jar of the class path: a
 * twentieth of a second at each start of a short-lived command, for a language we do not use.
 */
final class CommandFactory implements CommandLine.IFactory {
  @Override
  @SuppressWarnings("unchecked")
  public <K> K create(Class<K> cls) throws Exception {
    if (cls.isInterface()) return (K) collection(cls);
    Constructor<K> c = cls.getDeclaredConstructor();
    c.setAccessible(true);
    return c.newInstance();
  }

  /** An empty collection or map for an option declared with an interface type. */
  private static Object collection(Class<?> type) {
    if (SortedSet.class.isAssignableFrom(type)) return new TreeSet<>();
    if (Set.class.isAssignableFrom(type)) return new LinkedHashSet<>();
    if (Queue.class.isAssignableFrom(type)) return new LinkedList<>();
    if (List.class.isAssignableFrom(type) || type == Collection.class) return new ArrayList<>();
    if (SortedMap.class.isAssignableFrom(type)) return new TreeMap<>();
    if (Map.class.isAssignableFrom(type)) return new LinkedHashMap<>();
    throw new CommandLine.InitializationException("no implementation known for " + type.getName());
  }
}
