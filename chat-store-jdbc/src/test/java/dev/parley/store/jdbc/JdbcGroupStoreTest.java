package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.GroupPermission;
import dev.parley.core.GroupSettings;
import dev.parley.core.Role;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.GroupStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcGroupStoreTest extends GroupStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    @Test
    void groupStateSurvivesReopen() {
        GroupSettings s = GroupSettings.defaults().withPermissions(GroupPermission.ADMINS, GroupPermission.ALL,
                GroupPermission.ALL, 10);
        store.putGroupSettings(group.id(), s);
        store.setRole(group.id(), "bob", Role.ADMIN);
        store.putMute(group.id(), "carol", T1);
        store.putBan(group.id(), "dave", T1);

        store.close();
        store = openStore();

        assertThat(store.groupSettings(group.id())).isEqualTo(s);
        assertThat(store.findMember(group.id(), "bob").orElseThrow().role()).isEqualTo(Role.ADMIN);
        assertThat(store.mutedUntil(group.id(), "carol")).contains(T1);
        assertThat(store.banned(group.id(), "dave")).isTrue();
    }
}
