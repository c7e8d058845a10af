package dev.xsched.hip;

/**
 * The stream priorities a device accepts. As in HIP and CUDA, a numerically <em>lower</em> value
 * is a <em>higher</em> priority: {@code greatest <= least}. A range with {@code greatest == least}
 * means the device offers a single priority.
 *
 * @param least    the lowest priority (numerically largest), the default of a new stream
 * @param greatest the highest priority (numerically smallest)
 */
public record PriorityRange(int least, int greatest) {
    public PriorityRange {
        if (greatest > least) {
            throw new IllegalArgumentException(
                    "greatest priority " + greatest + " must be numerically <= least priority " + least);
        }
    }

    /** Whether more than one priority exists. */
    public boolean hasPriorities() {
        return greatest < least;
    }

    public boolean contains(int priority) {
        return priority >= greatest && priority <= least;
    }

    /** The nearest priority inside the range (HIP clamps the same way). */
    public int clamp(int priority) {
        return Math.max(greatest, Math.min(least, priority));
    }

    /** The number of distinct priorities. */
    public int levels() {
        return least - greatest + 1;
    }
}
