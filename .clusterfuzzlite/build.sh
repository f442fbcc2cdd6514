#!/bin/bash -eu
# ClusterFuzzLite runs $SRC/build.sh with CC, CXX, CFLAGS, CXXFLAGS,
# LIB_FUZZING_ENGINE and OUT set; fuzz/build.sh is the one build script for
# OSS-Fuzz, ClusterFuzzLite and local campaigns (docs/fuzzing.rst).
exec "$SRC/cvm/fuzz/build.sh"
