package io.jobrunner.runner;

/** The threads of a group's slots as one slot sees them (implemented by {@link SlotGroup}). */
interface SlotThreads {

    /** True while {@code index}'s slot is the calling thread (false once it was replaced). */
    boolean owns(int index);

    /**
     * The run's executor did not return within its stop grace after the run was cancelled: report its outcome
     * and start a new thread for the slot. Called on the timeout thread.
     */
    void giveUpStuck(int index, Thread thread, JobRun run);
}
