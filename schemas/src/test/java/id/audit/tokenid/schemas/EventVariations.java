package id.audit.tokenid.schemas;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates record values around every boundary of the contract: mostly api_call objects whose
 * fields are drawn from pools of edge values (lengths 0/1/128/129/256/257, whitespace, unicode,
 * negatives, 2^53 and 2^53+1, floats, exponents, strings for numbers, nulls, nested values,
 * missing fields, calendar edges, token parts at, one below and one above their whole), plus
 * duplicates, deep nesting and raw byte damage.
 *
 * <p>Numbers whose exponent is beyond java.math.BigDecimal (|exponent| over 2^31) are never
 * generated: the reference cannot parse them at all, so the agreement test cannot judge them
 * (ApiCallCodecTest covers how the codec judges them, by their exact value).
 */
final class EventVariations {

    private static final String[] FIELDS = {
        "type", "event_id", "org_id", "provider", "model", "input_tokens", "output_tokens",
        "cached_input_tokens", "cache_write_input_tokens", "reasoning_tokens", "cost_usd", "timestamp"
    };
    private static final long TWO_POW_53 = 1L << 53;
    private static final int[] LENGTHS = {0, 1, 2, 127, 128, 129, 255, 256, 257};
    private static final String[] WHOLE_NUMBERS = {
        "0", "1", "-0", "-1", "1.0", "1.5", "0.5", "1e2", "1E2", "1e+2", "1.0e0", "0.5e1", "5e-1",
        "10e-1", "-0.0", "0e5", "0.0", "42", "9007199254740991", "9007199254740992",
        "9007199254740993", "9007199254740992.0", "9007199254740992.5", "9.007199254740992e15",
        "9.007199254740993e15", "90071992547409920e-1", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "18446744073709551621",
        "1.8446744073709551621e19", "-1.8446744073709551611e19", "1e999999999", "1e-999999999",
        "-1e999999999", "253402300799999", "253402300800000", "1700000000000", "1.7e12",
        "1700000000000.5", "1741944413589.000", "2.53402300799999e14", "-1700000000000"
    };
    private static final String[] COSTS = {
        "0", "0.0", "-0", "-0.0", "0.1", "1", "3", "1e-9", "1E-9", "1e-10", "5e-10", "4.9e-10",
        "0.0000000005", "0.00000000049", "0.0000000015", "0.00000000149999", "1000000000",
        "1000000000.0", "1e9", "1.0e9", "1000000000.000000001", "1000000000.0000000000000000001",
        "999999999.9999999999", "999999999.99999999949", "-0.000000001", "-1", "12.345678901234",
        "1e999999999", "1e-999999999", "0e-999999999", "1.5E+3", "10000000000",
        "99999999999999999999999", "-99999999999999999999999",
        "\"0.1\"", "\"0\"", "\"0.0\"", "\"1000000000\"", "\"1000000000.0\"", "\"1000000000.1\"",
        "\"1000000000.0000000000000000000000000000000000000001\"",
        "\"999999999.9999999999\"", "\"1e-9\"", "\"-1\"", "\"-0\"", "\"01\"", "\".5\"", "\"5.\"",
        "\" 1\"", "\"1 \"", "\"+1\"", "\"\"", "\"abc\"", "\"0.1\\n\"", "\"\\uff11\"",
        "\"10000000000\"", "\"0x10\"", "\"NaN\"", "\"Infinity\"",
        "\"0.1234567890123456789012345678901234567890\"", "\"0.12345678901234567890123456789012345678901\"",
        "\"4E-8\"", "\"4e-8\"", "\"1.23E-7\"", "\"0E-8\"", "\"-0E-8\"", "\"-0\"", "\"-0.0e5\"", "\"1.5E+3\"",
        "\"1.5e+3\"", "\"1E2\"", "\"1e+09\"", "\"1E+9\"", "\"1.0E+9\"", "\"1.000000001E+9\"", "\"1E10\"",
        "\"0.01e10\"", "\"0e10\"", "\"12345678901e-5\"", "\"1234567890e-1\"", "\"1e-999999999\"",
        "\"1e999999999\"", "\"2.5e-9\"", "\"2.4999e-9\"", "\"-4E-8\"", "\"1.e5\"", "\"1e\"", "\"1E--8\"",
        "\"4E-8 \"", "\"0.0000000005\"", "null",
        "\"999999999.0000000000000000000000000000000000000000\"", "\"1000000000.0000000000000000000000000000000000000000\"",
        "\"1000000000.00000000000000000000000000000000000000000\"", "\"999999999\"", "\"9999999999\""
    };
    private static final String[] ISO_OFFSETS = {
        "Z", "+00:00", "-00:00", "+05:30", "-08:00", "+14:00", "+18:00", "-18:00", "+18:01",
        "+17:59", "+19:00", "+24:00", "+05:60", "z", "", "+0530", "+05", " Z", "Z\n", "UTC", "+18:59",
        "-18:01", "+1:00", "+05:30:00", "\u2212" + "05:00"
    };

    private final Random random;

    EventVariations(Random random) {
        this.random = random;
    }

    /** One record value. */
    byte[] next() {
        int roll = random.nextInt(100);
        if (roll < 12) {
            return damage(object().getBytes(StandardCharsets.UTF_8));
        }
        if (roll < 15) {
            return utf8(topLevelNonObject());
        }
        return utf8(object());
    }

    private String object() {
        // Either one field on an edge and the others valid (each boundary on its own), or a
        // share of the fields on edges: none (exercises the decoded values), some, or all.
        boolean single = random.nextInt(100) < 40;
        String edgeField = FIELDS[random.nextInt(FIELDS.length)];
        int edgePercent = pick(new int[] {0, 10, 25, 60, 100});
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FIELDS) {
            // org_id is usually there, so that most variations test the other rules.
            int presence = field.equals("org_id") ? 92 : field.equals("type") ? 30 : 55;
            boolean edge = single ? field.equals(edgeField) : random.nextInt(100) < edgePercent;
            if ((single && edge) || random.nextInt(100) < presence) {
                fields.put(field, edge ? value(field) : validValue(field));
            }
        }
        if (random.nextInt(100) < 25 && !(single && edgeField.endsWith("_tokens"))) {
            tokenPartsAtTheirWhole(fields);
        }
        List<String> members = new ArrayList<>();
        fields.forEach((name, value) -> members.add(member(name, value)));
        int extras = random.nextInt(100) < 30 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < extras; i++) {
            members.add(member(extraName(i), anyValue(0)));
        }
        if (random.nextInt(100) < 4 && !members.isEmpty()) {
            members.add(members.get(random.nextInt(members.size()))); // duplicate name
        }
        if (random.nextInt(100) < 3) {
            String name = FIELDS[random.nextInt(FIELDS.length)];
            members.add(member(name, value(name))); // duplicate name, other value maybe
        }
        if (random.nextInt(100) < 3) {
            int depth = 61 + random.nextInt(6); // top-level object + depth arrays: 62..67 deep
            members.add(member("deep", "[".repeat(depth) + "]".repeat(depth)));
        }
        Collections.shuffle(members, random);
        String space = random.nextBoolean() ? "" : " ";
        return "{" + space + String.join("," + space, members) + space + "}";
    }

    /**
     * Rewrites a whole and its parts together, so that the parts add up to the whole exactly, to
     * one less, or to one more (the edge of the rule across fields, which independently drawn
     * counts almost never hit); sometimes a part is left out or is null (counting 0).
     */
    private void tokenPartsAtTheirWhole(Map<String, String> fields) {
        long input = wholeCount();
        long cached = random.nextLong(input + 1);
        long write = input - cached + pick(new long[] {0, 0, -1, 1});
        fields.put("input_tokens", count(input));
        fields.put("cached_input_tokens", count(cached));
        if (write < 0 || random.nextInt(6) == 0) {
            // cached alone, at, one over or one under the whole
            fields.put("cached_input_tokens", count(Math.max(0, input + pick(new long[] {0, 1, -1}))));
            fields.put("cache_write_input_tokens", pick("null", "0"));
        } else {
            fields.put("cache_write_input_tokens", count(write));
        }
        long output = wholeCount();
        long reasoning = output + pick(new long[] {0, 0, -1, 1, -output});
        fields.put("output_tokens", count(output));
        if (reasoning < 0) {
            fields.put("reasoning_tokens", "null");
        } else {
            fields.put("reasoning_tokens", count(reasoning));
        }
    }

    private long wholeCount() {
        return pick(new long[] {0, 1, 2, 1000, TWO_POW_53 - 1, TWO_POW_53, random.nextLong(TWO_POW_53 + 1)});
    }

    /** A count in one of the integral syntaxes JSON Schema accepts (2^53 + 1 stays invalid). */
    private String count(long n) {
        switch (random.nextInt(8)) {
            case 0: return n + ".0";
            case 1: return n == 0 ? "0e5" : n + "0e-1";
            default: return Long.toString(n);
        }
    }

    private String member(String name, String value) {
        return jsonString(name) + ":" + value;
    }

    private String extraName(int i) {
        String[] names = {"extra", "region", "r\u00e9gion", "\ud83d\ude00", "Type", "ORG_ID", "org_id ",
            "tags", "meta", "latency_ms"};
        return names[random.nextInt(names.length)] + (random.nextInt(4) == 0 ? "" : Integer.toString(i));
    }

    private String value(String field) {
        if (random.nextInt(100) < 7) {
            return wrongType();
        }
        if (random.nextInt(100) < 5) {
            return "null"; // absent in every optional field, missing in org_id
        }
        switch (field) {
            case "type":
                return pick("\"api_call\"", "\"api_call\"", "\"other\"", "\"API_CALL\"", "\"\"",
                        "\" api_call\"", "\"api_call\\n\"", "\"user.signup\"", jsonString(text(70)),
                        "5", "null", "true");
            case "event_id":
                return random.nextInt(6) == 0 ? pick("\"\\ud800\"", "\"e\\udc00\"", "\"\\u3000\"")
                        : jsonString(text(LENGTHS[random.nextInt(LENGTHS.length)]));
            case "org_id":
                return random.nextInt(3) == 0 ? pick("\"\"", "\" \"", "\"\\t\\n\"", "\"\\u0001\"",
                        "\"\\u00a0\"", "\"\\u3000\"", "\" Acme \"", "\"ACME\"", "\"\\ud800\"", "\"a\\udc00\"",
                        "\"\\ude00\\ud83d\"", "\"\\ud83d\\ude00\"",
                        "\"\\u0000a\"", "\"\\u0130stanbul\"")
                        : jsonString(text(LENGTHS[random.nextInt(6)]));
            case "provider":
                return random.nextInt(4) == 0 ? pick("\"\"", "\"  \"", "\" OpenAI \"", "\"\\n\"", "\"\\u3000\"",
                        "\"\\ud800\"", "\"x\\udbff\"", "\"\\ud83d\\ude00\"")
                        : jsonString(text(LENGTHS[random.nextInt(6)]));
            case "model":
                return random.nextInt(4) == 0 ? pick("\"\"", "\" \"", "\"GPT-4o\"", "\" \\u3000 \"", "\"\\udfff\"")
                        : jsonString(text(LENGTHS[random.nextInt(LENGTHS.length)]));
            case "input_tokens":
            case "output_tokens":
            case "cached_input_tokens":
            case "cache_write_input_tokens":
            case "reasoning_tokens":
                return random.nextInt(5) == 0 ? Long.toString(random.nextLong() >> random.nextInt(64))
                        : WHOLE_NUMBERS[random.nextInt(WHOLE_NUMBERS.length)];
            case "cost_usd":
                return random.nextInt(5) == 0 ? randomDecimal() : COSTS[random.nextInt(COSTS.length)];
            default:
                return timestamp();
        }
    }

    /** A value the schema accepts for the field (type: "api_call" or another type). */
    private String validValue(String field) {
        switch (field) {
            case "type":
                return random.nextInt(6) == 0 ? jsonString(text(random.nextInt(10))) : "\"api_call\"";
            case "event_id":
                return jsonString(text(pick(new int[] {1, 2, 36, 127, 128})));
            case "org_id":
                return jsonString(nonBlankText(pick(new int[] {1, 2, 10, 127, 128})));
            case "provider":
                return jsonString(text(pick(new int[] {0, 1, 2, 10, 127, 128})));
            case "model":
                return jsonString(text(pick(new int[] {0, 1, 2, 10, 128, 255, 256})));
            case "input_tokens":
            case "output_tokens":
                return random.nextBoolean() ? Long.toString(random.nextLong() >>> 11)
                        : pick("0", "-0", "1.0", "1e2", "5E0", "42", "9007199254740992",
                                "9.007199254740992e15", "0.0", "120e-1");
            case "cached_input_tokens":
            case "cache_write_input_tokens":
            case "reasoning_tokens":
                // Valid alone; mostly small, so that most draws fit the whole drawn beside them.
                return random.nextInt(8) == 0 ? Long.toString(random.nextLong() >>> 11)
                        : pick("0", "-0", "0.0", "1", "1.0", "5E0", "42", "1e2", "120e-1", "null",
                                Integer.toString(random.nextInt(100_000)));
            case "cost_usd":
                return pick("0", "0.1", "1e-9", "1e-10", "0.0000000005", "0.00000000049", "1000000000",
                        "999999999.9999999999", "12.345678901234", "1.5E+3", "-0.0", "\"0.1\"",
                        "\"1000000000.0\"", "\"0.000123\"", "\"42\"", "\"4E-8\"", "\"1.5E+3\"", "\"0E-8\"", "null",
                        "0." + digits(1 + random.nextInt(15)), "\"" + random.nextInt(1000) + "." + digits(1 + random.nextInt(40)) + "\"");
            default:
                return random.nextBoolean() ? Long.toString(Math.floorMod(random.nextLong(), 253402300800000L))
                        : jsonString(validIso());
        }
    }

    private String validIso() {
        int year = random.nextInt(10000);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(java.time.YearMonth.of(year, month).lengthOfMonth());
        StringBuilder s = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day,
                random.nextInt(24), random.nextInt(60), random.nextInt(60)));
        int fraction = random.nextInt(10);
        if (fraction > 0) {
            s.append('.').append(digits(fraction));
        }
        return s.append(pick("Z", "+00:00", "-00:00", "+05:30", "-08:00", "+18:00", "-18:00", "+17:59")).toString();
    }

    private String digits(int count) {
        StringBuilder s = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    private String nonBlankText(int codePoints) {
        String s = text(codePoints);
        return s.trim().isEmpty() ? "x".repeat(codePoints) : s;
    }

    private String wrongType() {
        return pick("null", "true", "false", "{}", "[]", "{\"a\":1}", "[1,\"x\"]", "\"5\"", "5",
                "{\"a\":1,\"a\":2}", "[{\"b\":[],\"b\":{}}]");
    }

    private String anyValue(int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 8);
        switch (kind) {
            case 0: return "null";
            case 1: return random.nextBoolean() ? "true" : "false";
            case 2: return pick(WHOLE_NUMBERS);
            case 3: return randomDecimal();
            case 4: return jsonString(text(random.nextInt(40)));
            case 5: return pick(COSTS);
            case 6: {
                int n = random.nextInt(4);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(anyValue(depth + 1));
                }
                return "[" + String.join(",", items) + "]";
            }
            default: {
                int n = random.nextInt(4);
                List<String> items = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    // Names drawn from a small set, so some nested objects repeat one.
                    items.add(member(pick("a", "b", "c", "d", "e", "f", "g", "h"), anyValue(depth + 1)));
                }
                return "{" + String.join(",", items) + "}";
            }
        }
    }

    private String randomDecimal() {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(8) == 0) {
            s.append('-');
        }
        int wholeDigits = random.nextInt(12);
        if (wholeDigits == 0) {
            s.append('0');
        } else {
            s.append((char) ('1' + random.nextInt(9)));
            for (int i = 1; i < wholeDigits; i++) {
                s.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextBoolean()) {
            s.append('.');
            int fraction = 1 + random.nextInt(random.nextBoolean() ? 12 : 45);
            for (int i = 0; i < fraction; i++) {
                s.append((char) ('0' + random.nextInt(10)));
            }
        }
        if (random.nextInt(4) == 0) {
            s.append(random.nextBoolean() ? 'e' : 'E').append(pick("", "+", "-")).append(random.nextInt(25));
        }
        String number = s.toString();
        return random.nextInt(4) == 0 ? '"' + number + '"' : number;
    }

    private String timestamp() {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return pick(WHOLE_NUMBERS);
        }
        if (kind == 3) {
            return pick("\"1700000000000\"", "\"\"", "\"2024-01-01\"", "\"2024-01-01 00:00:00Z\"",
                    "\"2024-01-01T00:00Z\"", "\"24-01-01T00:00:00Z\"", "\"+10000-01-01T00:00:00Z\"",
                    "\" 2024-01-01T00:00:00Z\"", "\"2024-1-01T00:00:00Z\"", "\"2024-01-01T00:00:00.Z\"",
                    "\"\\uff12024-01-01T00:00:00Z\"");
        }
        // A valid date-time with at most one part pushed over its edge.
        int year = pick(new int[] {0, 4, 100, 400, 1900, 1970, 2000, 2023, 2024, 2100, 9999, random.nextInt(10000)});
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(java.time.YearMonth.of(year, month).lengthOfMonth());
        int hour = random.nextInt(24);
        int minute = random.nextInt(60);
        int second = random.nextInt(60);
        String separator = "T";
        int fraction = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(9);
        String offset = pick("Z", "+02:00", "-07:00", "+18:00", "-00:00");
        switch (random.nextInt(11)) {
            case 0: month = pick(new int[] {0, 13}); break;
            case 1: day = java.time.YearMonth.of(year, month).lengthOfMonth() + 1; break;
            case 2: month = 2; day = 29; break; // valid only in leap years
            case 3: day = pick(new int[] {0, 32}); break;
            case 4: hour = 24; break;
            case 5: minute = 60; break;
            case 6: second = 60; break;
            case 7: separator = pick("t", " ", "_"); break;
            case 8: fraction = pick(new int[] {-1, 10}); break;
            case 9: offset = pick(ISO_OFFSETS); break;
            default: break;
        }
        StringBuilder s = new StringBuilder(String.format("%04d-%02d-%02d%s%02d:%02d:%02d", year, month,
                day, separator, hour, minute, second));
        if (fraction != 0) {
            s.append('.').append(fraction < 0 ? "" : digits(fraction));
        }
        s.append(offset);
        return jsonString(s.toString());
    }

    /** A string of about {@code codePoints} code points mixing ASCII, accents, CJK, emoji, space. */
    private String text(int codePoints) {
        int style = random.nextInt(6);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            int cp;
            switch (style) {
                case 0: cp = 'a' + random.nextInt(26); break;
                case 1: cp = 0x1F600 + random.nextInt(64); break;
                case 2: cp = pick(new int[] {'A', 'z', '0', ' ', '\t', 0xE9, 0x130, 0x4E2D, 0x1F600,
                    0x2028, 0x00A0, 0x3000, 0x10FFFF}); break;
                case 3: cp = i == 0 || i == codePoints - 1 ? ' ' : 'A' + random.nextInt(26); break;
                case 4: cp = ' '; break;
                default: cp = 'K' + random.nextInt(10); break;
            }
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    /** JSON string literal, escaping what must be escaped and, at random, non-ASCII too. */
    private String jsonString(String s) {
        boolean escapeAll = random.nextInt(4) == 0;
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7E) || Character.isSurrogate(c) && !validPair(s, i)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    private String topLevelNonObject() {
        return pick("[]", "[{\"org_id\":\"a\"}]", "\"org_id\"", "42", "null", "true", "", "   ",
                "[1,2", "{\"org_id\":\"a\"", "{\"org_id\" \"a\"}", "{'org_id':'a'}", "{\"org_id\":\"a\",}",
                "{\"org_id\":NaN}", "{\"org_id\":\"a\"}}", "{\"org_id\":\"a\"}\n", "\n{\"org_id\":\"a\"}\t",
                "{\"org_id\":\"a\"} x", "{\"org_id\":\"a\"}{}", "{\"org_id\":\"a\\x\"}",
                "{\"org_id\":\"a\nb\"}", "{\"org_id\":\"a\",\"n\":01}", "{\"org_id\":\"a\",\"n\":.5}",
                "{\"org_id\":\"a\",\"n\":1.}", "{\"org_id\":\"a\",\"n\":+1}", "{\"org_id\":\"a\"} // c");
    }

    /** Raw damage to valid UTF-8 JSON: truncation, bad bytes, BOM, NUL, trailing garbage. */
    private byte[] damage(byte[] json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = json.length == 0 ? 0 : random.nextInt(json.length);
        // Bad bytes (case 1) weigh most: only they reach the UTF-8 check.
        switch (pick(new int[] {0, 1, 1, 1, 1, 2, 3, 4, 5, 6})) {
            case 0:
                out.write(json, 0, at);
                break;
            case 1:
                // Right after a quote, so about half the time the bad bytes land inside a string
                // and only the UTF-8 check can catch them.
                for (int i = at; i < json.length; i++) {
                    if (json[i] == '"') {
                        at = i + 1;
                        break;
                    }
                }
                out.write(json, 0, at);
                byte[][] bad = {{(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80},
                    {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF},
                    {(byte) 0xED, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80}};
                out.writeBytes(bad[random.nextInt(bad.length)]);
                out.write(json, at, json.length - at);
                break;
            case 2:
                out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                out.writeBytes(json);
                break;
            case 3:
                out.write(json, 0, at);
                out.write(0);
                out.write(json, at, json.length - at);
                break;
            case 4:
                out.writeBytes(json);
                out.writeBytes(utf8(pick(" ", "\n", "x", "}", "]", " {}", "0", "\u00a0", "\r\n\t")));
                break;
            case 5:
                out.writeBytes(new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE));
                break;
            default:
                out.writeBytes(utf8(pick(" ", "\n\t", "\r")));
                out.writeBytes(json);
                break;
        }
        return out.toByteArray();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private int pick(int[] options) {
        return options[random.nextInt(options.length)];
    }

    private long pick(long[] options) {
        return options[random.nextInt(options.length)];
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
