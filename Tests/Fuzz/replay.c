/*
 * Replays fuzz inputs through the fuzz target without libFuzzer: the
 * committed corpus (and every crash found, added to it) is a regression
 * test of the ordinary build. Usage: replay FILE...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        FILE *file = fopen(argv[i], "rb");
        if (file == NULL) {
            perror(argv[i]);
            return 1;
        }
        uint8_t buffer[65536];
        size_t size = fread(buffer, 1, sizeof buffer, file);
        fclose(file);
        LLVMFuzzerTestOneInput(buffer, size);
    }
    printf("replayed %d inputs\n", argc - 1);
    return 0;
}
