package id.audit.tokenid.app.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.nio.ByteBuffer;

/**
 * Reads a prices file: UTF-8 CSV, {@code #} comment lines and blank lines anywhere, then a header
 * whose first seven columns are {@code provider,model,valid_from,input,cached_input,
 * cache_write_input,output}; further columns (the shipped file's {@code source_url,source_date,
 * note}) are for people and are not read. A field may be double-quoted ({@code "a, b"}, a quote
 * inside doubled). The shipped table is {@value #SHIPPED} on the class path.
 *
 * <p>Any error stops start-up with one line naming the file and the line: a wrong price is better
 * refused than silently counted.
 */
public final class PriceFile {

    public static final String SHIPPED = "prices/llm-prices.csv";
    static final List<String> COLUMNS =
            List.of("provider", "model", "valid_from", "input", "cached_input", "cache_write_input", "output");
    static final int MAX_ROWS = 10_000;
    static final int MAX_BYTES = 4 << 20;

    private PriceFile() {
    }

    /** The table shipped in the jar. */
    public static List<PriceRow> shipped() {
        try (InputStream in = PriceFile.class.getClassLoader().getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("the shipped prices file " + SHIPPED + " is not on the class path");
            }
            return parse("shipped prices file " + SHIPPED, in.readNBytes(MAX_BYTES + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rows of a prices file ({@code --prices-file}). */
    public static List<PriceRow> read(Path path) {
        byte[] bytes;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new IllegalArgumentException("prices file " + path + " is larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read prices file " + path + ": " + e);
        }
        return parse("prices file " + path, bytes);
    }

    static List<PriceRow> parse(String name, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException(name + " is larger than " + MAX_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(name + " is not UTF-8 text");
        }
        return parse(name, text);
    }

    static List<PriceRow> parse(String name, String text) {
        String[] lines = text.split("\r?\n", -1);
        List<String> header = null;
        List<PriceRow> rows = new ArrayList<>();
        Map<String, Integer> lineByKey = new HashMap<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String line = i == 0 && lines[0].startsWith("\uFEFF") ? lines[0].substring(1) : lines[i];
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                List<String> fields = fields(line);
                if (header == null) {
                    header = requireHeader(fields);
                    continue;
                }
                PriceRow row = row(fields, header);
                Integer earlier = lineByKey.putIfAbsent(row.key(), lineNumber);
                if (earlier != null) {
                    throw new IllegalArgumentException("a second row for " + row.key() + " (first on line " + earlier
                            + "); change the valid_from of one of them");
                }
                if (rows.size() == MAX_ROWS) {
                    throw new IllegalArgumentException("more than " + MAX_ROWS + " rows");
                }
                rows.add(row);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " line " + lineNumber + ": " + e.getMessage(), e);
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(name + ": no header line (" + String.join(",", COLUMNS) + ")");
        }
        return List.copyOf(rows);
    }

    private static List<String> requireHeader(List<String> fields) {
        List<String> names = fields.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).toList();
        if (names.size() < COLUMNS.size() || !names.subList(0, COLUMNS.size()).equals(COLUMNS)) {
            throw new IllegalArgumentException("the header must begin with " + String.join(",", COLUMNS)
                    + ", was " + String.join(",", names));
        }
        return names;
    }

    private static PriceRow row(List<String> fields, List<String> header) {
        if (fields.size() < COLUMNS.size() || fields.size() > header.size()) {
            throw new IllegalArgumentException("expected " + COLUMNS.size() + ".." + header.size()
                    + " fields, found " + fields.size());
        }
        return PriceRow.parse(fields.get(0), fields.get(1), fields.get(2), fields.get(3), fields.get(4),
                fields.get(5), fields.get(6));
    }

    /** Splits one CSV line; fields are trimmed unless quoted. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            StringBuilder field = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("a quoted field is not closed");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("text after a quoted field");
                }
                fields.add(field.toString());
            } else {
                int end = line.indexOf(',', i);
                end = end < 0 ? n : end;
                fields.add(line.substring(i, end).trim());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }
}
