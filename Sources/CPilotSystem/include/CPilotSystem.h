#ifndef CPILOTSYSTEM_H
#define CPILOTSYSTEM_H
#include <spawn.h>

/// posix_spawn_file_actions_addchdir_np, which glibc declares only under
/// _GNU_SOURCE (not visible to Swift's Glibc module).
int cpilot_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34, _GNU_SOURCE only):
/// the child closes every descriptor from `lowest` up before it executes.
int cpilot_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// The file name of the loaded image (executable or shared library) that
/// contains `address`, or NULL. Wraps dladdr, also _GNU_SOURCE-only.
const char *cpilot_image_path(const void *address);

/// Removes `path` and everything under it without following symbolic
/// links (nftw, which needs _XOPEN_SOURCE 500). Returns 0 or -1.
int cpilot_remove_tree(const char *path);

/// pipe2(fds, O_CLOEXEC): a pipe no spawned program inherits by accident.
/// 0 on success, -1 with errno set. (pipe2 needs _GNU_SOURCE, which Swift's Glibc lacks.)
int cpilot_pipe_cloexec(int fds[2]);

/// 1 if this process ignores `signal` (SIG_IGN), 0 if not or not a signal.
/// (SIG_IGN is a cast macro Swift cannot compare against.)
int cpilot_signal_is_ignored(int signal);

/// Blocks SIGCHLD in the calling thread (threads it starts later inherit
/// the mask) and returns a non-blocking, close-on-exec signalfd that reads
/// SIGCHLD instead, or -1 with errno set.
int cpilot_child_signal_fd(void);

#endif
