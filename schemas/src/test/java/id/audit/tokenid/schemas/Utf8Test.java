package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void acceptsEveryScalarValueEncodedByTheJdk() {
        for (int cp = 1; cp <= Character.MAX_CODE_POINT; cp++) {
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                continue;
            }
            byte[] bytes = ("a" + new String(Character.toChars(cp))).getBytes(StandardCharsets.UTF_8); // "a": U+FEFF first would be a BOM
            assertThat(Utf8.isStrictJsonUtf8(bytes)).as("U+%04X", cp).isTrue();
        }
    }

    @Test
    void agreesWithTheJdksStrictDecoderOnRandomBytes() {
        // given
        long seed = new Random().nextLong();
        Random random = new Random(seed);

        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            random.nextBytes(bytes);
            // Bias towards the interesting lead bytes.
            bytes[0] = (byte) (random.nextBoolean() ? 0xC0 + random.nextInt(0x40) : bytes[0]);

            // when
            boolean ours = Utf8.isStrictJsonUtf8(bytes);

            // then
            boolean expected = jdkAccepts(bytes) && !contains(bytes, (byte) 0) && !startsWithBom(bytes);
            assertThat(ours).as("seed %d: %s", seed, java.util.Arrays.toString(bytes)).isEqualTo(expected);
        }
    }

    @Test
    void rejectsByteOrderMarkAndNul() {
        assertThat(Utf8.isStrictJsonUtf8(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'})).isFalse();
        assertThat(Utf8.isStrictJsonUtf8(new byte[] {'{', 0, '}'})).isFalse();
        assertThat(Utf8.isStrictJsonUtf8(new byte[] {'{', '}'})).isTrue();
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean contains(byte[] bytes, byte b) {
        for (byte x : bytes) {
            if (x == b) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithBom(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF;
    }
}
