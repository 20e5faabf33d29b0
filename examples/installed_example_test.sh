#!/bin/sh
# Installs the library into a scratch prefix, builds examples/ against the installed package
# the way another project would (find_package), runs connection_lines on a sample and
# compares its output with the expected lines.
#   installed_example_test.sh BUILD_DIR SOURCE_DIR CXX_COMPILER SANITIZE(ON|OFF)
set -eu
build=$1 source=$2 cxx=$3 sanitize=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >"$work/install.log" || { cat "$work/install.log"; exit 1; }
flags=
[ "$sanitize" = ON ] && flags=-fsanitize=address,undefined
cmake -S "$source/examples" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_BUILD_TYPE=Release >"$work/configure.log" 2>&1 \
    || { cat "$work/configure.log"; exit 1; }
cmake --build "$work/build" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

"$work/build/connection_lines" "$source/samples/seed-pouet.pcap" >"$work/out.txt"
diff -u "$source/examples/connection_lines.expected" "$work/out.txt"
echo "installed example: output as expected"
