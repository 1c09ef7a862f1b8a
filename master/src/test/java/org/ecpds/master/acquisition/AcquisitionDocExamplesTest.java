package org.ecpds.master.acquisition;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every {@code acquisition-rules} block of docs/acquisition.md parses, and each rule resolves and plans. */
class AcquisitionDocExamplesTest {
  private static final Path DOC = Path.of("..", "docs", "acquisition.md");

  static List<String> blocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    StringBuilder current = null;
    for (String line : Files.readAllLines(DOC)) {
      if (current == null && line.equals("```acquisition-rules")) current = new StringBuilder();
      else if (current != null && line.equals("```")) {
        blocks.add(current.toString());
        current = null;
      } else if (current != null) current.append(line).append('\n');
    }
    return blocks;
  }

  @Test
  void everyDocumentedExampleParsesAndPlans() throws IOException {
    List<String> blocks = blocks();
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(4);
    int rules = 0;
    for (String block : blocks) {
      for (DirectoryRule rule : DirectoryRules.parse(block, Map.of()).rules()) {
        DirectoryRule.Listing listing = rule.listing(DirectoryRulesTest.CONTEXT, DirectoryRulesTest.CLOCK);
        Registration r = rule.plan(RemoteFile.file("20261204_file.grib", 1, 0), listing, DirectoryRulesTest.CONTEXT);
        assertThat(r.target()).as(rule.text()).isNotBlank();
        rules++;
      }
    }
    assertThat(rules).isGreaterThanOrEqualTo(15);
  }
}
