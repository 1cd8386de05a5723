/*
 * libFuzzer target over the coordinator's network listener: an embedded
 * session listens on 127.0.0.1 (session option "listen"), and each input
 * is sent to it on a new TCP connection, as any peer on the network could;
 * the target then reads whatever the coordinator answers until it closes.
 * The coordinator runs in this process, built with coverage, so the
 * handshake parser, the refusals and the timers are what is explored. A
 * trap or a sanitizer report is a crash; so is a coordinator that stops
 * answering (connect or read failing). Built and run by Tests/Fuzz/run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "pilot.h"

static pilot_session *session;
static int port;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *given = getenv("PILOT_FUZZ_PORT");
    port = given != NULL ? atoi(given) : 47231;
    char options[128];
    snprintf(options, sizeof options, "{\"listen\": \"127.0.0.1:%d\"}", port);
    if (pilot_session_open(options, &session) != PILOT_OK) {
        fprintf(stderr, "listener_fuzz: cannot listen on 127.0.0.1:%d: %s (set PILOT_FUZZ_PORT to a free port)\n", port,
                pilot_last_error());
        abort();
    }
    return 0;
}

/* A new connection to the coordinator; a connect that a signal (libFuzzer's
 * timers) interrupts is tried again on a new socket. */
static int connect_to_coordinator(void) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    for (int attempt = 0; attempt < 10; attempt++) {
        int peer = socket(AF_INET, SOCK_STREAM, 0);
        struct timeval timeout = {.tv_sec = 15};
        setsockopt(peer, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        if (connect(peer, (struct sockaddr *)&address, sizeof address) == 0) return peer;
        int failure = errno;
        close(peer);
        if (failure != EINTR) {
            fprintf(stderr, "listener_fuzz: the coordinator stopped accepting: %s\n", strerror(failure));
            abort();
        }
    }
    fprintf(stderr, "listener_fuzz: every connect was interrupted\n");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int peer = connect_to_coordinator();
    size_t sent = 0;
    while (sent < size) {
        ssize_t count = send(peer, data + sent, size - sent, MSG_NOSIGNAL);
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) break; /* refused and closed early: fine */
        sent += (size_t)count;
    }
    shutdown(peer, SHUT_WR);
    char answer[4096];
    ssize_t count;
    while ((count = recv(peer, answer, sizeof answer, 0)) > 0 || (count < 0 && errno == EINTR)) {}
    if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        fprintf(stderr, "listener_fuzz: the coordinator neither answered nor closed within 15 s\n");
        abort();
    }
    close(peer);
    return 0;
}
