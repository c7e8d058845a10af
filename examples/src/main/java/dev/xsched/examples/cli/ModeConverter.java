package dev.xsched.examples.cli;

import dev.xsched.examples.bench.Mode;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A mode option's value ({@code native}, {@code xsched-hpf}, ...). */
final class ModeConverter implements ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
        try {
            return Mode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
