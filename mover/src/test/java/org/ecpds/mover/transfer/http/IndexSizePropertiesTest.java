package org.ecpds.mover.transfer.http;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** Sizes read from an index page's listing: an exact byte count or -1 (unknown), whatever the server wrote. */
class IndexSizePropertiesTest {

  @Property(tries = 2000)
  void anyTrailerIsASizeOrUnknown(@ForAll("trailers") String trailer) {
    assertThat(IndexParser.size(trailer)).isGreaterThanOrEqualTo(-1);
  }

  @Property
  void anExactCountIsReadBack(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n) {
    assertThat(IndexParser.size("04-Dec-2026 10:00  " + n)).isEqualTo(n);
  }

  @Provide
  Arbitrary<String> trailers() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789 ,.-:KMGiB").ofMaxLength(40),
        Arbitraries.strings().numeric().ofMinLength(18).ofMaxLength(22));
  }

  /** Found by the property: a 19-digit count beyond Long.MAX_VALUE threw NumberFormatException out of the listing. */
  @Example
  void aCountBeyondALongIsUnknown() {
    assertThat(IndexParser.size("9999999999999999999")).isEqualTo(-1);
  }
}
