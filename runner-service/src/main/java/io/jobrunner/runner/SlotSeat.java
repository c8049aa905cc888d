package io.jobrunner.runner;

/** Where one slot sits: its index and thread name in its group, the group's shared work, and its threads. */
record SlotSeat(int index, String name, GroupWork work, SlotThreads threads) {
}
