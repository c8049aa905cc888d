package io.jobrunner.git;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitRepositoryStatusTest {

    @Test
    void snapshotIsSortedPlainAndImmutable() {
        GitRepositoryStatus status = new GitRepositoryStatus("/var/lib/jobrunner/git");
        Instant at = Instant.parse("2024-05-01T10:00:00Z");
        status.recordUpdate(new GitRepositoryStatus.RepositoryState("zeta", "https://h/z.git", "branch main", "a".repeat(40), at, "clone"));
        status.recordUpdate(new GitRepositoryStatus.RepositoryState("alpha", "https://h/a.git", "tag v1", "b".repeat(40), at, "sync"));

        Map<String, Object> snapshot = status.snapshot();

        assertThat(snapshot).containsEntry("root", "/var/lib/jobrunner/git");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> repos = (Map<String, Map<String, Object>>) snapshot.get("repositories");
        assertThat(repos.keySet()).containsExactly("alpha", "zeta");
        assertThat(repos.get("alpha")).containsEntry("lastSyncAt", "2024-05-01T10:00:00Z").containsEntry("ref", "tag v1")
                .containsEntry("operation", "sync").containsEntry("commit", "b".repeat(40));

        status.recordRemoved("zeta");
        assertThat(status.repositories()).containsOnlyKeys("alpha");
        assertThat(repos).containsOnlyKeys("alpha", "zeta");
    }
}
