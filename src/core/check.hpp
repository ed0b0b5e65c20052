// SB_CHECK: an always-on assertion for broken invariants (never for input).
#pragma once

#include <cstdio>
#include <cstdlib>

#define SB_CHECK(condition)                                                                  \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
