package dev.xsched.examples.scenario;

import java.util.function.IntConsumer;

/**
 * Ends a process of {@code xsched demo --processes 2} when its parent has gone: the parent's
 * cleanup cannot run when it is killed with SIGKILL (or dies in a crash), and a child left running
 * would keep its model on the GPU until someone finds it. A daemon thread waits on the parent's
 * {@link ProcessHandle#onExit()}, says why on stderr and exits.
 */
final class ParentWatch {
    /** The exit status of a process whose parent went away. */
    static final int PARENT_GONE = 3;

    private ParentWatch() {
    }

    /**
     * Exits this JVM ({@link System#exit}) once its parent process ends; does nothing for a
     * process without a parent (started by init, or the parent already gone).
     *
     * @param side {@code HP} or {@code LP}, for the line on stderr
     */
    static void exitWhenParentEnds(String side) {
        ProcessHandle.current().parent().ifPresent(parent -> exitWhenEnded(parent, side, System::exit));
    }

    /**
     * Calls {@code exit} with {@link #PARENT_GONE} once {@code parent} ends, after a line on stderr
     * saying so (package-private so that a test can watch a process of its own and catch the exit).
     */
    static void exitWhenEnded(ProcessHandle parent, String side, IntConsumer exit) {
        parent.onExit().thenRun(() -> {
            System.err.println("xsched demo " + side + " process: the parent process (pid " + parent.pid()
                    + ") has ended; exiting");
            exit.accept(PARENT_GONE);
        });
    }
}
