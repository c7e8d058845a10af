package dev.xsched.examples.bench;

import dev.xsched.hip.Event;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class SynchronizeSplitTest {
    private final AtomicLong now = new AtomicLong();
    private final Thread caller = Thread.currentThread();

    @Test
    void aCallThatRecordedItsSyncPointAndSawItCompleteSplitsIntoFourParts() throws Exception {
        SynchronizeSplit.Recorder recorder = new SynchronizeSplit.Recorder(1);
        // Returned at 1,000 ns; recorded 1,500-2,000; polled three times, seen complete at 9,000; returned 9,700.
        TimingEvent event = recordedEvent();
        queryUntilComplete(event, 2, 9_000);

        recorder.add(0, caller, 1_000, 9_700, new TimingStream.Record(caller, 1_500, 2_000, event));
        SynchronizeSplit split = recorder.result(new int[]{0});

        assertThat(split.split()).isEqualTo(1);
        assertThat(split.withoutOwnRecord()).isZero();
        assertThat(split.seenElsewhere()).isZero();
        assertThat(split.queriesPerCall()).isEqualTo(3.0);
        assertThat(split.stats().beforeRecord().medianMicros()).isEqualTo(0.5);
        assertThat(split.stats().record().medianMicros()).isEqualTo(0.5);
        assertThat(split.stats().poll().medianMicros()).isEqualTo(7.0);
        assertThat(split.stats().afterComplete().medianMicros()).isEqualTo(0.7);
        assertThat(split.stats().slowest()).isEqualTo(new SynchronizeSplit.Slowest(1, 0.5, 0.5, 7.0, 0.7));
    }

    @Test
    void aSyncPointRecordedBeforeTheCallOrByAnotherThreadIsCountedNotSplit() throws Exception {
        SynchronizeSplit.Recorder recorder = new SynchronizeSplit.Recorder(3);
        TimingEvent event = recordedEvent();
        queryUntilComplete(event, 0, 5_000);
        Thread other = new Thread(() -> { });

        recorder.add(0, caller, 1_000, 9_000, new TimingStream.Record(caller, 500, 900, event)); // before the call
        recorder.add(1, caller, 1_000, 9_000, new TimingStream.Record(other, 1_500, 2_000, event)); // another thread's
        recorder.add(2, caller, 1_000, 9_000, new TimingStream.Record(caller, 1_500, 2_000, null)); // not a timing event
        SynchronizeSplit split = recorder.result(new int[]{0, 1, 2});

        assertThat(split.withoutOwnRecord()).isEqualTo(3);
        assertThat(split.split()).isZero();
        assertThat(split.stats()).as("nothing to split").isNull();
        assertThat(split.queriesPerCall()).as("no call with a record of its own").isZero();
    }

    @Test
    void aSyncPointAnotherThreadSawCompleteFirstIsCountedWithItsQueries() throws Exception {
        SynchronizeSplit.Recorder recorder = new SynchronizeSplit.Recorder(2);
        TimingEvent seenByOther = recordedEvent();
        Thread other = new Thread(() -> queryUntilComplete(seenByOther, 1, 4_000));
        other.start();
        other.join();
        TimingEvent neverSeen = recordedEvent();

        recorder.add(0, caller, 1_000, 9_000, new TimingStream.Record(caller, 1_500, 2_000, seenByOther));
        recorder.add(1, caller, 1_000, 9_000, new TimingStream.Record(caller, 1_500, 2_000, neverSeen));
        SynchronizeSplit split = recorder.result(new int[]{1});

        assertThat(split.seenElsewhere()).isEqualTo(2);
        assertThat(split.split()).isZero();
        assertThat(split.queriesPerCall()).as("two queries, then none, over two calls").isEqualTo(1.0);
    }

    @Test
    void theSlowestAreTakenAmongTheSplitCallsOnlyAndEachPartsMedianOverThem() throws Exception {
        SynchronizeSplit.Recorder recorder = new SynchronizeSplit.Recorder(4);
        long[] polls = {1_000, 30_000, 2_000, 50_000};
        for (int i = 0; i < 4; i++) {
            TimingEvent event = recordedEvent();
            queryUntilComplete(event, 0, 2_000 + polls[i]);
            Thread recordedBy = i == 2 ? new Thread(() -> { }) : caller;
            recorder.add(i, caller, 1_000, 2_000 + polls[i] + 500, new TimingStream.Record(recordedBy, 1_500, 2_000, event));
        }
        // The round trips 1, 2 and 3 were the slowest; 2 was not split: the median over 1 and 3 is
        // the lower of the two (nearest rank), 30 us.
        SynchronizeSplit split = recorder.result(new int[]{1, 2, 3});

        assertThat(split.split()).isEqualTo(3);
        assertThat(split.stats().slowest().count()).isEqualTo(2);
        assertThat(split.stats().slowest().pollMicros()).isEqualTo(30.0);
        assertThat(split.stats().poll().count()).isEqualTo(3);
        assertThat(split.stats().poll().maxMicros()).isEqualTo(50.0);
    }

    @Test
    void theSlowestRoundTripsMayHaveNoSplitCallAmongThem() throws Exception {
        // Found on the simulator: of 20 round trips the slowest was the one whose sync point the
        // window had recorded before the call.
        SynchronizeSplit.Recorder recorder = new SynchronizeSplit.Recorder(2);
        TimingEvent event = recordedEvent();
        queryUntilComplete(event, 0, 3_000);
        recorder.add(0, caller, 1_000, 4_000, new TimingStream.Record(caller, 1_500, 2_000, event));
        recorder.add(1, caller, 1_000, 4_000, new TimingStream.Record(caller, 500, 900, event));

        SynchronizeSplit split = recorder.result(new int[]{1});

        assertThat(split.split()).isEqualTo(1);
        assertThat(split.stats().slowest().count()).isZero();
        assertThat(split.stats().slowest().pollMicros()).isNaN();
    }

    @Test
    void aNewRecordForgetsWhatWasSeenOfTheLastOne() {
        TimingEvent event = recordedEvent();
        queryUntilComplete(event, 1, 3_000);
        assertThat(event.firstComplete()).isNotNull();
        assertThat(event.queries()).isEqualTo(2);

        event.aboutToRecord();

        assertThat(event.firstComplete()).isNull();
        assertThat(event.queries()).isZero();
    }

    /** A timing event over one that reports complete from the {@code pending + 1}th query on. */
    private TimingEvent recordedEvent() {
        TimingEvent event = new TimingEvent(new CountingEvent(), now::get);
        event.aboutToRecord();
        return event;
    }

    /** Queries {@code event} {@code pending} times while not complete, then once at {@code at} (the clock's time) when it is. */
    private void queryUntilComplete(TimingEvent event, int pending, long at) {
        CountingEvent underlying = (CountingEvent) TimingEvent.unwrap(event);
        underlying.completeAfter = pending;
        for (int i = 0; i < pending; i++) {
            assertThat(event.isComplete()).isFalse();
        }
        now.set(at);
        assertThat(event.isComplete()).isTrue();
    }

    /** Complete once queried {@code completeAfter} times. */
    private static final class CountingEvent implements Event {
        volatile int completeAfter;
        private int queries;

        @Override
        public synchronized boolean isComplete() {
            return queries++ >= completeAfter;
        }

        @Override
        public void synchronize() {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public float elapsedMillis(Event start) {
            throw new UnsupportedOperationException("not used");
        }

        @Override
        public void close() {
        }
    }
}
