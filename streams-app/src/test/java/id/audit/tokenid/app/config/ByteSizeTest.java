package id.audit.tokenid.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @Test
    void readsBytesAndBinaryUnitsInAnyCase() {
        assertThat(ByteSize.parse("268435456")).isEqualTo(256L << 20);
        assertThat(ByteSize.parse("256MiB")).isEqualTo(256L << 20);
        assertThat(ByteSize.parse(" 256 mib ")).isEqualTo(256L << 20);
        assertThat(ByteSize.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1536KiB")).isEqualTo(1536L << 10);
        assertThat(ByteSize.parse("2TiB")).isEqualTo(2L << 40);
        assertThat(ByteSize.parse("100B")).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "256MB", "1.5GiB", "-1MiB", "256 megabytes", "9999999999TiB"})
    void refusesWhatIsNotAWholeBinarySize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void printsTheLargestUnitThatDividesTheSize() {
        assertThat(ByteSize.format(256L << 20)).isEqualTo("256MiB");
        assertThat(ByteSize.format(1536L << 10)).isEqualTo("1536KiB");
        assertThat(ByteSize.format(1000)).isEqualTo("1000B");
        assertThat(ByteSize.format(1L << 40)).isEqualTo("1TiB");
    }
}
