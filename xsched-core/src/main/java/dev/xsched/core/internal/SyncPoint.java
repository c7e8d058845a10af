package dev.xsched.core.internal;

import dev.xsched.hip.Event;

/** An event recorded after the command with sequence {@code coversSeq}: its completion completes them all. */
record SyncPoint(Event event, long coversSeq, long recordedAt) {
}
