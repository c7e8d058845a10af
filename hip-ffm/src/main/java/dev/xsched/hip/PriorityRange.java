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
    /**
     * Checks the order of the bounds.
     *
     * @throws IllegalArgumentException if {@code greatest > least}
     */
    public PriorityRange {
        if (greatest > least) {
            throw new IllegalArgumentException(
                    "greatest priority " + greatest + " must be numerically <= least priority " + least);
        }
    }

    /**
     * Whether more than one priority exists.
     *
     * @return false where the device ignores stream priorities
     */
    public boolean hasPriorities() {
        return greatest < least;
    }

    /**
     * Whether a stream may be created at {@code priority}.
     *
     * @param priority a stream priority
     * @return {@code greatest <= priority <= least}
     */
    public boolean contains(int priority) {
        return priority >= greatest && priority <= least;
    }

    /**
     * The nearest priority inside the range (HIP clamps the same way; hip-ffm's
     * {@link Device#createStream(int)} rejects instead).
     *
     * @param priority any value
     * @return {@code priority} limited to {@code [greatest, least]}
     */
    public int clamp(int priority) {
        return Math.max(greatest, Math.min(least, priority));
    }

    /**
     * The number of distinct priorities.
     *
     * @return {@code least - greatest + 1}, 6 on an H200
     */
    public int levels() {
        return least - greatest + 1;
    }
}
