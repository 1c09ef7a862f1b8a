package org.ecpds.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Durations.parse over generated input: exact values, no wrap-around, one exception type for bad text. */
class DurationsPropertiesTest {
  private static final String[] UNITS = {"w", "d", "h", "m", "s", "ms"};
  private static final long[] UNIT_MS = {604_800_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

  @Property
  void plainMillisecondsRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ms) {
    assertThat(Durations.parse(Long.toString(ms))).isEqualTo(Duration.ofMillis(ms));
  }

  /** Any sequence of number+unit parts means their exact sum, or is refused as too large: never a negative or wrapped value. */
  @Property
  void partsSumExactlyOrAreRefused(@ForAll("parts") java.util.List<long[]> parts) {
    StringBuilder text = new StringBuilder();
    BigInteger sum = BigInteger.ZERO;
    for (long[] p : parts) {
      text.append(p[0]).append(UNITS[(int) p[1]]);
      sum = sum.add(BigInteger.valueOf(p[0]).multiply(BigInteger.valueOf(UNIT_MS[(int) p[1]])));
    }
    if (sum.bitLength() < 64) {
      assertThat(Durations.parse(text.toString()).toMillis()).isEqualTo(sum.longValueExact());
      assertThat(Durations.parse(" " + text.toString().toUpperCase() + " ").toMillis()).isEqualTo(sum.longValueExact());
    } else {
      assertThatThrownBy(() -> Durations.parse(text.toString()))
          .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
    }
  }

  @Provide
  Arbitrary<java.util.List<long[]>> parts() {
    Arbitrary<Long> count = Arbitraries.oneOf(Arbitraries.longs().between(0, 1_000),
        Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(106_751_991_167L, 15_250_284_452L));
    Arbitrary<long[]> part = count.flatMap(n -> Arbitraries.integers().between(0, UNITS.length - 1)
        .map(u -> new long[] {n, u}));
    return part.list().ofMinSize(1).ofMaxSize(6);
  }

  /** Whatever the text, the answer is a non-negative duration or an IllegalArgumentException (never an NPE, NumberFormatException...). */
  @Property(tries = 2000)
  void anyTextIsADurationOrAnIllegalArgument(@ForAll("durationLike") String text) {
    try {
      assertThat(Durations.parse(text).isNegative()).isFalse();
    } catch (IllegalArgumentException expected) {
      assertThat(expected).isExactlyInstanceOf(IllegalArgumentException.class);
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<String> durationLike() {
    Arbitrary<String> alphabet = Arbitraries.strings().withChars("0123456789wdhmsWDHMS -+.,\t٣").ofMaxLength(30);
    return Arbitraries.oneOf(alphabet, Arbitraries.strings().ofMaxLength(20), Arbitraries.just(null));
  }

  @Property
  void anyUnicodeTextIsADurationOrAnIllegalArgument(@ForAll @StringLength(max = 12) String text) {
    anyTextIsADurationOrAnIllegalArgument(text);
  }
}
