/*
 * The single-precision FMA peak of one core: twelve independent chains of 8-wide (AVX2) fused multiply-adds,
 * enough to cover the FMA latency on both FMA pipes, so the loop runs at the issue rate. Each FMA is 16 flops.
 * Run one copy per core at the same time for the machine's peak (docs/benchmarks.md, "The machine"):
 *
 *   gcc -O2 -mavx2 -mfma benchmarks/probes/fma_peak.c -o /tmp/fma_peak
 *   /tmp/fma_peak                                                    # one core
 *   taskset -c 0 /tmp/fma_peak & taskset -c 1 /tmp/fma_peak & wait   # both cores
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHAINS 12

int main(int argc, char **argv) {
    long iterations = argc > 1 ? atol(argv[1]) : 400000000L;
    __m256 acc[CHAINS];
    for (int c = 0; c < CHAINS; c++) {
        acc[c] = _mm256_set1_ps(0.001f * c);
    }
    const __m256 mul = _mm256_set1_ps(0.9999f);
    const __m256 add = _mm256_set1_ps(1e-5f);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < iterations; i++) {
#pragma GCC unroll 12
        for (int c = 0; c < CHAINS; c++) {
            acc[c] = _mm256_fmadd_ps(acc[c], mul, add);
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + 1e-9 * (end.tv_nsec - start.tv_nsec);
    /* use the results, so the compiler keeps the loop */
    float lanes[8], total = 0;
    for (int c = 0; c < CHAINS; c++) {
        _mm256_storeu_ps(lanes, acc[c]);
        total += lanes[0];
    }
    printf("%.1f GFLOPS single precision (%.3f s, checksum %g)\n", iterations * CHAINS * 16.0 / seconds / 1e9,
           seconds, total);
    return 0;
}
