/*
 * The machine's own limit: posix_spawn /bin/true N times with at most S
 * children in flight, reaping each with waitpid. Every pilot benchmark is
 * reported as a ratio to this figure, measured in the same run.
 *
 *   spawn_baseline throughput N S   -> {"bench":"baseline","units":N,"slots":S,"seconds":..,"rate":..}
 *   spawn_baseline latency K        -> one spawn-and-reap at a time, K samples:
 *                                      {"bench":"baseline-latency","median_ms":..,"p99_ms":..}
 */
#define _POSIX_C_SOURCE 200809L
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int spawn_true(void) {
    char *argv[] = {"/bin/true", NULL};
    pid_t pid;
    int status = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
    if (status != 0) {
        fprintf(stderr, "spawn_baseline: posix_spawn: %s\n", strerror(status));
        exit(1);
    }
    return 0;
}

static void reap_one(void) {
    int status;
    if (waitpid(-1, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "spawn_baseline: a child of /bin/true did not exit 0\n");
        exit(1);
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long parse_count(const char *text, const char *what) {
    char *end;
    long value = strtol(text, &end, 10);
    if (*end != '\0' || value < 1) {
        fprintf(stderr, "spawn_baseline: %s must be a positive integer, got '%s'\n", what, text);
        exit(2);
    }
    return value;
}

static void throughput(long units, long slots) {
    long started = 0, reaped = 0;
    double began = now();
    while (reaped < units) {
        while (started < units && started - reaped < slots) {
            spawn_true();
            started++;
        }
        reap_one();
        reaped++;
    }
    double seconds = now() - began;
    printf("{\"bench\":\"baseline\",\"units\":%ld,\"slots\":%ld,\"done\":%ld,\"seconds\":%.6f,\"rate\":%.1f}\n",
           units, slots, reaped, seconds, (double)units / seconds);
}

static void latency(long samples) {
    double *times = malloc(sizeof(double) * (size_t)samples);
    if (times == NULL) exit(1);
    for (long i = 0; i < samples; i++) {
        double began = now();
        spawn_true();
        reap_one();
        times[i] = (now() - began) * 1000.0;
    }
    qsort(times, (size_t)samples, sizeof(double), compare);
    printf("{\"bench\":\"baseline-latency\",\"samples\":%ld,\"median_ms\":%.4f,\"p99_ms\":%.4f}\n",
           samples, times[samples / 2], times[(samples * 99) / 100]);
    free(times);
}

int main(int argc, char **argv) {
    if (argc == 4 && strcmp(argv[1], "throughput") == 0) {
        throughput(parse_count(argv[2], "N"), parse_count(argv[3], "S"));
    } else if (argc == 3 && strcmp(argv[1], "latency") == 0) {
        latency(parse_count(argv[2], "K"));
    } else {
        fprintf(stderr, "usage: spawn_baseline throughput N S | spawn_baseline latency K\n");
        return 2;
    }
    return 0;
}
