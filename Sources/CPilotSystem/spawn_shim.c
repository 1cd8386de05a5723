#define _GNU_SOURCE
#include <dlfcn.h>
#include <spawn.h>
#include "CPilotSystem.h"

int cpilot_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

const char *cpilot_image_path(const void *address) {
    Dl_info info;
    if (dladdr(address, &info) == 0) return 0;
    return info.dli_fname;
}
