package dev.xsched.examples.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JSON of the benchmarks' results, written from records and read back into them with
 * Jackson: fields in snake_case ({@code p99_ms}), absent fields left out, figures rounded to 4
 * decimals and a non-finite figure written as {@code null} (see {@link #figure}).
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private Json() {
    }

    /** Writes {@code value} to {@code file}, indented, creating the folder. */
    public static Path write(Path file, Object value) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        MAPPER.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
        return file;
    }

    /** {@code value} on one line (for a {@code JSON ...} line a script picks out of the output). */
    public static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code file} into a {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }

    /** A measured figure as written: rounded to 4 decimals, null when not finite (nothing measured). */
    public static Double figure(double value) {
        return Double.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
    }
}
