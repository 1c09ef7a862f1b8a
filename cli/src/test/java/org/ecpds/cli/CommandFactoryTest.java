package org.ecpds.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandFactoryTest {
  private final CommandFactory factory = new CommandFactory();

  /** A class with a private constructor, as picocli meets in converters and mixins. */
  static final class Hidden {
    private Hidden() {}
  }

  interface Unknown {}

  @Test
  void collectionTypesGetOrderedImplementationsAndClassesTheirNoArgumentConstructor() throws Exception {
    assertThat(factory.create(List.class)).isInstanceOf(ArrayList.class);
    assertThat(factory.create(Collection.class)).isInstanceOf(ArrayList.class);
    assertThat(factory.create(Set.class)).isInstanceOf(LinkedHashSet.class);
    assertThat(factory.create(SortedSet.class)).isInstanceOf(TreeSet.class);
    assertThat(factory.create(Map.class)).isInstanceOf(LinkedHashMap.class);
    assertThat(factory.create(SortedMap.class)).isInstanceOf(TreeMap.class);
    assertThat(factory.create(Hidden.class)).isInstanceOf(Hidden.class);
    assertThatThrownBy(() -> factory.create(Unknown.class)).isInstanceOf(CommandLine.InitializationException.class);
  }

  @Test
  void theCommandParsesThroughItWithRepeatedListOptionsAndTheConfigSubcommand() {
    Io io = new Io(java.io.InputStream.nullInputStream(), System.out, System.err, name -> null, prompt -> null);
    Ecpds cmd = new Ecpds(io);
    CommandLine cl = new CommandLine(cmd, factory);
    cl.addSubcommand("config", new ConfigCommand(io));
    cl.parseArgs("-destination", "D", "-metadata", "a=1", "-metadata", "b=2");
    assertThat(cmd.push.metadata).containsExactly("a=1", "b=2");
  }
}
