#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "CPilotSystem.h"

int cpilot_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cpilot_spawn_file_actions_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

const char *cpilot_image_path(const void *address) {
    Dl_info info;
    if (dladdr(address, &info) == 0) return 0;
    return info.dli_fname;
}

static int remove_entry(const char *path, const struct stat *status, int kind, struct FTW *walk) {
    (void)status;
    (void)kind;
    (void)walk;
    remove(path);
    return 0;
}

int cpilot_remove_tree(const char *path) {
    return nftw(path, remove_entry, 64, FTW_DEPTH | FTW_PHYS);
}

int cpilot_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

int cpilot_signal_is_ignored(int signal) {
    struct sigaction action;
    if (sigaction(signal, 0, &action) != 0) return 0;
    return action.sa_handler == SIG_IGN;
}

int cpilot_child_signal_fd(void) {
    sigset_t child;
    sigemptyset(&child);
    sigaddset(&child, SIGCHLD);
    if (pthread_sigmask(SIG_BLOCK, &child, 0) != 0) return -1;
    return signalfd(-1, &child, SFD_NONBLOCK | SFD_CLOEXEC);
}
