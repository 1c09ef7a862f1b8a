package org.ecpds.mover.transfer.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/** s3.partSize and friends: exact values, no wrap-around, bad text refused with an IllegalArgumentException. */
class S3SizePropertiesTest {

  @Property
  void unitsMultiplyExactlyOrAreRefused(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n,
      @ForAll("units") String unit) {
    long factor = switch (unit.isEmpty() ? ' ' : unit.charAt(0)) {
      case 'k', 'K' -> 1L << 10;
      case 'm', 'M' -> 1L << 20;
      case 'g', 'G' -> 1L << 30;
      default -> n < 1024 ? 1L << 20 : 1L;
    };
    BigInteger expected = BigInteger.valueOf(n).multiply(BigInteger.valueOf(factor));
    if (expected.bitLength() < 64) {
      assertThat(S3Settings.sizeOf(n + unit)).isEqualTo(expected.longValueExact());
    } else {
      assertThatThrownBy(() -> S3Settings.sizeOf(n + unit)).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }

  @Provide
  Arbitrary<String> units() {
    return Arbitraries.of("", "b", "k", "K", "kb", "KiB", "m", "MB", "MiB", "g", "G", "GiB");
  }

  @Property(tries = 2000)
  void anyTextIsANonNegativeSizeOrAnIllegalArgument(@ForAll("sizeLike") String text) {
    try {
      assertThat(S3Settings.sizeOf(text)).isNotNegative();
    } catch (IllegalArgumentException e) {
      assertThat(e).isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("size");
    }
  }

  @Provide
  Arbitrary<String> sizeLike() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789kmgibKMGIB -+.").ofMaxLength(24),
        Arbitraries.strings().ofMaxLength(12), Arbitraries.just(null));
  }

  /** Found by the properties: these wrapped into negative or small sizes, or escaped as NumberFormatException. */
  @Example
  void overflowAndSignsAreRefused() {
    for (String bad : new String[] {"9999999999g", "8589934592g", "-5m", "-1", "1.5g", "", "m", "99999999999999999999"}) {
      assertThatThrownBy(() -> S3Settings.sizeOf(bad)).as(bad).isExactlyInstanceOf(IllegalArgumentException.class);
    }
  }
}
