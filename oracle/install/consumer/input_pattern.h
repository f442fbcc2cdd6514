/* The input both consumers feed the model: a fixed pattern in [-127, 127],
 * inside any input precision of 8 or more, so that the C API, the C++ API
 * and the installed `cvm run` can be compared on the same bytes. */
#ifndef CVM_CONSUMER_INPUT_PATTERN_H_
#define CVM_CONSUMER_INPUT_PATTERN_H_
static inline int consumer_input_value(unsigned long long i) { return (int)((i * 37u + 11u) % 255u) - 127; }
#endif
