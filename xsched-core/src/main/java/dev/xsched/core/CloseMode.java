package dev.xsched.core;

/** What {@link XQueue#close(CloseMode)} does with commands not yet released. */
public enum CloseMode {
    /** Release and complete every submitted command first. */
    DRAIN,
    /** Discard commands still held host-side; wait only for those already in flight. */
    DROP
}
