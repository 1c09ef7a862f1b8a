package org.ecpds.master.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Directory templates over generated text: parse and resolve fail only with the documented
 * IllegalArgumentException, and no template, target or metadata value yields a path with a '..' segment.
 */
class DirectoryTemplatePropertiesTest {
  private static final Instant NOW = Instant.parse("2024-03-05T07:08:09Z");

  @Property(tries = 3000)
  void parseAndResolveFailOnlyWithIllegalArgumentAndNeverEscape(@ForAll("templates") String template,
      @ForAll("targets") String target, @ForAll("values") String stream) {
    DirectoryTemplate parsed;
    try {
      parsed = DirectoryTemplate.parse(template);
    } catch (IllegalArgumentException refused) {
      assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class).message().startsWith("line ");
      Statistics.collect("refused by parse");
      return;
    }
    try {
      String path = parsed.resolve(context(target, stream));
      assertThat(List.of(path.split("/", -1))).as(path).doesNotContain("..");
      Statistics.collect("resolved");
    } catch (IllegalArgumentException refused) {
      assertThat(refused).isExactlyInstanceOf(IllegalArgumentException.class);
      assertThat(refused.getMessage()).isNotBlank();
      Statistics.collect("refused by resolve");
    }
    // the generators must reach every outcome, or the property proves little
    Statistics.coverage(c -> {
      c.check("resolved").percentage(p -> p > 10);
      c.check("refused by parse").percentage(p -> p > 10);
      c.check("refused by resolve").percentage(p -> p > 1);
    });
  }

  private static TemplateContext context(String target, String stream) {
    return new TemplateContext(
        new TemplateContext.DataFile(42, "orig/" + stream, "hpc", 1536, Instant.parse("2024-03-04T00:00:00Z"),
            null, null, 6L, "00", stream, "abc", Map.of("stream", stream)),
        new TemplateContext.Transfer(7, target, null, "id", 5, null, "WAIT", true),
        new TemplateContext.Destination("d", stream, "ops@example.org"),
        new TemplateContext.Host("h1", "nick", "ftp.example.org", "bob", null, null, null, null), "ftp", "m", NOW);
  }

  /** Pieces of the template language (placeholders, slices, date options, selectors) and stray characters. */
  @Provide
  Arbitrary<String> templates() {
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("$destination", "$date", "$time", "$target", "$target[0]", "$target[2..4]", "$target[1..]",
            "$target[5..2]", "$target[-1..]", "$metadata[stream]", "$metadata[none]", "$dataFile[metaStream]",
            "$dataFile[original]", "$dataFile[foo]", "$dataTransfer[parent]", "$dataTransfer[name]",
            "$dataTransfer[path]", "$destination[comment]", "$date[dateformat=yyyy/MM/dd,datedelta=-1d]",
            "$date[datesource=$target[0..8],datepattern=yyyyMMdd]", "$date[dateformat=Q'x]", "$date[datedelta=99999999999d]",
            "($destination[name]==d)", "($metadata[stream]=={e.*})", "($metadata[stream]=={(})", "($target.=a)", "(",
            ")", "[", "]", "{", "}", "$", "..", ".", "/", "//", "\n", "\r\n", "#", " ", "==", "!=", "x", "0"),
        Arbitraries.strings().ofMaxLength(3));
    return token.list().ofMaxSize(12).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> targets() {
    return Arbitraries.oneOf(Arbitraries.of("f", "a/b/c.grib", "20240229.grib", "A_2023123118_x", "..", "../x", "a/../b"),
        Arbitraries.strings().withChars("ab./_0").ofMinLength(1).ofMaxLength(12));
  }

  @Provide
  Arbitrary<String> values() {
    return Arbitraries.oneOf(Arbitraries.of("", "..", "../..", "a/..", "../", "oper", "/"),
        Arbitraries.strings().withChars("a./").ofMaxLength(6));
  }
}
