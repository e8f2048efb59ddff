package id.audit.tokenid.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    @Test
    void agreesWithJavaTimeOnRandomDateTimesAcrossTheWholeRange() {
        // given
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        DateTimeFormatter seconds = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

        for (int i = 0; i < 50_000; i++) {
            LocalDate date = LocalDate.ofEpochDay(Math.floorMod(random.nextLong(), 3_652_059L) - 719_528L);
            OffsetDateTime time = date.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60))
                    .atOffset(ZoneOffset.ofTotalSeconds(60 * (random.nextInt(2161) - 1080)));
            int fractionDigits = random.nextInt(10);
            StringBuilder text = new StringBuilder(time.format(seconds));
            if (fractionDigits > 0) {
                text.append('.');
                for (int d = 0; d < fractionDigits; d++) {
                    text.append((char) ('0' + random.nextInt(10)));
                }
            }
            text.append(time.getOffset().getTotalSeconds() == 0 && random.nextBoolean() ? "Z" : time.getOffset().getId()
                    .replace("Z", "+00:00"));

            // when
            long parsed = Timestamps.parseIso(text);

            // then
            long expected = OffsetDateTime.parse(text).toInstant().toEpochMilli();
            assertThat(parsed).as("seed %d: %s", seed, text).isEqualTo(expected);
        }
    }

    @Test
    void computesEpochDaysLikeJavaTimeForEveryDayOfYearsZeroToTenThousand() {
        for (long day = LocalDate.of(0, 1, 1).toEpochDay(); day <= LocalDate.of(9999, 12, 31).toEpochDay(); day += 1) {
            LocalDate date = LocalDate.ofEpochDay(day);
            assertThat(Timestamps.epochDay(date.getYear(), date.getMonthValue(), date.getDayOfMonth()))
                    .as("%s", date).isEqualTo(day);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "0000-02-29T00:00:00Z",
        "9999-12-31T23:59:59.999999999-18:00", "1969-12-31T23:59:59.999Z", "2024-01-01T00:00:00-00:00"})
    void acceptsCalendarEdges(String iso) {
        assertThat(Timestamps.parseIso(iso)).isNotEqualTo(Timestamps.INVALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
        "2024-00-01T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-00T00:00:00Z", "2024-01-01T24:00:00Z",
        "2024-01-01T00:60:00Z", "2024-01-01T00:00:60Z", "2024-01-01T00:00:00+18:01", "2024-01-01T00:00:00+19:00",
        "2024-01-01T00:00:00+05:60", "2024-01-01T00:00:00", "2024-01-01T00:00:00.Z", "2024-01-01T00:00Z",
        "2024-01-01T00:00:00.0000000000Z", "2024-01-01t00:00:00Z", "2024-01-01T00:00:00z", "2024-01-01T00:00:00+0100",
        "2024-01-01T00:00:00ZZ", "\u0662024-01-01T00:00:00Z", "2024-01-01T00:00:00Z\n", "", "2024"})
    void rejectsWhatTheSchemaPatternRejects(String iso) {
        assertThat(Timestamps.parseIso(iso)).isEqualTo(Timestamps.INVALID);
    }
}
