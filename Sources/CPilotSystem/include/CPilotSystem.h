#ifndef CPILOTSYSTEM_H
#define CPILOTSYSTEM_H
#include <spawn.h>

/// posix_spawn_file_actions_addchdir_np, which glibc declares only under
/// _GNU_SOURCE (not visible to Swift's Glibc module).
int cpilot_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// The file name of the loaded image (executable or shared library) that
/// contains `address`, or NULL. Wraps dladdr, also _GNU_SOURCE-only.
const char *cpilot_image_path(const void *address);

#endif
