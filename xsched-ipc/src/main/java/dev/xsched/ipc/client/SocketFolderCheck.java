package dev.xsched.ipc.client;

import dev.xsched.core.coordination.ServerSocketPath;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A client's look at the server socket's folder before it connects: whoever could have made the
 * folder could have bound an impostor there, which would then learn the client's queues and
 * suspend them at will. The default folder {@code /tmp/xsched-<uid>} lies in a folder that every
 * user may write to, so another user can make it first.
 *
 * <p>The rule: the folder (links followed) must not be writable by other users, and must be owned
 * by this process's user or root, or else lie in a folder that only root or this process's user
 * can write to, where nobody else could have made it (systemd's {@code /run/xsched}, made by root
 * for the server's own user).
 */
final class SocketFolderCheck {
    private SocketFolderCheck() {
    }

    /**
     * Refuses a socket whose folder another user may have made or may replace it in.
     *
     * @param socket the server's socket
     * @throws IOException saying why, when the folder fails the rule; nothing when the folder does
     *                     not exist (the connect then fails and says so)
     */
    static void check(Path socket) throws IOException {
        Path folder;
        try {
            folder = socket.toAbsolutePath().getParent().toRealPath();
        } catch (NoSuchFileException absent) {
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
        if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("refusing the scheduler server socket " + socket + ": its folder " + folder + " has mode "
                    + PosixFilePermissions.toString(mode) + ", so any user could have put the socket there");
        }
        int owner = (Integer) Files.getAttribute(folder, "unix:uid");
        int own = ServerSocketPath.currentUid();
        if (owner == own || owner == 0) {
            return;
        }
        Path parent = folder.getParent();
        if (parent != null) {
            int parentOwner = (Integer) Files.getAttribute(parent, "unix:uid");
            Set<PosixFilePermission> parentMode = Files.getPosixFilePermissions(parent);
            if ((parentOwner == 0 || parentOwner == own) && !parentMode.contains(PosixFilePermission.GROUP_WRITE)
                    && !parentMode.contains(PosixFilePermission.OTHERS_WRITE)) {
                return; // made by root (or this user) for the server's user: nobody else could have
            }
        }
        throw new IOException("refusing the scheduler server socket " + socket + ": its folder " + folder + " is owned by "
                + Files.getOwner(folder).getName() + " (uid " + owner + "), neither this process's user (uid " + own
                + ") nor root, in a folder other users may write to, so another user may have made it");
    }
}
