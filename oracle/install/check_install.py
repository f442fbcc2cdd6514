#!/usr/bin/env python3
"""ctest install_consumer: cvm as its users consume it.

Installs the build tree into a temporary prefix (`cmake --install`), then
  1. builds oracle/install/consumer against it with find_package(cvm CONFIG)
     (cvm::cvm_shared for the C API, cvm::cvm for the C++ API);
  2. compiles the C consumer again with nothing but `pkg-config cvm`;
  3. runs the three consumers, the installed `cvm run` and (when it was built)
     the installed Python package on examples/mnist_cnn with the same input and
     requires the same gas and output bytes;
  4. configures the consumer with cvm's source tree as a subproject
     (add_subdirectory), which must succeed without building anything.

usage: check_install.py CMAKE BUILD_DIR SOURCE_DIR C_COMPILER
"""
import os
import shutil
import subprocess
import sys
import tempfile


def run(cmd, env=None, cwd=None):
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAILED ({result.returncode}): {' '.join(cmd)}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def npy_values(path):
    """The values of a little-endian int8/int32 C-order .npy (stdlib only)."""
    with open(path, "rb") as f:
        data = f.read()
    header_len = int.from_bytes(data[8:10], "little")
    header = data[10:10 + header_len].decode("latin1")
    width = 1 if "'|i1'" in header or "'<i1'" in header else 4
    assert "'<i4'" in header or width == 1, header
    body = data[10 + header_len:]
    return width, body


def main():
    cmake, build, source, cc = sys.argv[1:5]
    model = os.path.join(source, "examples", "mnist_cnn")
    consumer = os.path.join(source, "oracle", "install", "consumer")
    with tempfile.TemporaryDirectory(prefix="cvm-install-") as tmp:
        prefix = os.path.join(tmp, "prefix")
        run([cmake, "--install", build, "--prefix", prefix])
        for must in ["include/cvm/c_api.h", "include/cvm/runtime.h", "bin/cvm"]:
            if not os.path.exists(os.path.join(prefix, must)):
                sys.exit(f"FAILED: the install has no {must}")
        libdirs = [d for d in ("lib", "lib64") if os.path.isdir(os.path.join(prefix, d))]
        libdir = os.path.join(prefix, libdirs[0])
        sonames = sorted(n for n in os.listdir(libdir) if n.startswith("libcvm.so"))
        if len(sonames) != 3:  # libcvm.so -> libcvm.so.MAJOR -> libcvm.so.MAJOR.MINOR.PATCH
            sys.exit(f"FAILED: expected the versioned library and its two links, found {sonames}")

        # 1. find_package
        cbuild = os.path.join(tmp, "consumer-build")
        run([cmake, "-S", consumer, "-B", cbuild, f"-DCMAKE_PREFIX_PATH={prefix}",
             f"-DCMAKE_C_COMPILER={cc}", "-DCMAKE_BUILD_TYPE=Release"])
        run([cmake, "--build", cbuild, "-j", "2"])

        # 2. pkg-config
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(libdir, "pkgconfig"))
        flags = run(["pkg-config", "--cflags", "--libs", "cvm"], env=env).split()
        if not any(f.startswith("-I") and os.path.realpath(f[2:]) == os.path.realpath(os.path.join(prefix, "include"))
                   for f in flags):
            sys.exit(f"FAILED: pkg-config --cflags does not point into the prefix: {flags}")
        pc_exe = os.path.join(tmp, "c_consumer_pkgconfig")
        run([cc, os.path.join(consumer, "c_consumer.c"), "-o", pc_exe] + flags)

        # 3. the same bytes four ways
        input_npy = os.path.join(tmp, "input.npy")
        cpp = run([os.path.join(cbuild, "cpp_consumer"), model, input_npy])
        c_cmake = run([os.path.join(cbuild, "c_consumer"), model])
        c_pc = run([pc_exe, model], env=dict(os.environ, LD_LIBRARY_PATH=libdir))
        if not (cpp == c_cmake == c_pc):
            sys.exit(f"FAILED: consumers disagree:\nC++ API: {cpp}\nC API (CMake): {c_cmake}\n"
                     f"C API (pkg-config): {c_pc}")
        out_npy = os.path.join(tmp, "output.npy")
        run([os.path.join(prefix, "bin", "cvm"), "run", model, "--input", input_npy,
             "--output", out_npy])
        _, body = npy_values(out_npy)
        tool_hex = body.hex()
        consumer_hex = cpp.split("output ")[1].strip()
        if tool_hex != consumer_hex:
            sys.exit(f"FAILED: installed `cvm run` wrote {tool_hex}, the consumers {consumer_hex}")
        print(cpp, end="")

        # 3b. the installed Python package, when it was built
        pydir = os.path.join(prefix, "lib", "python3", "dist-packages")
        if os.path.isdir(os.path.join(pydir, "cvm")):
            width, _ = npy_values(out_npy)
            script = ("import sys, numpy as np, cvm; m = cvm.load(sys.argv[1]); "
                      "y = m.run(np.load(sys.argv[2])); "
                      f"print(y.astype('<i{width}').tobytes().hex())")
            py_hex = run(["/usr/bin/python3", "-c", script, model, input_npy],
                         env=dict(os.environ, PYTHONPATH=pydir), cwd=tmp).strip()
            if py_hex != tool_hex:
                sys.exit(f"FAILED: the installed Python package computed {py_hex}, `cvm run` {tool_hex}")
            print("python: same output")

        # 4. subproject: configure only (building would rebuild all of cvm)
        sub = os.path.join(tmp, "subproject-build")
        run([cmake, "-S", consumer, "-B", sub, f"-DCVM_SOURCE_DIR={source}",
             f"-DCMAKE_C_COMPILER={cc}", "-DCVM_ENABLE_CUDA=OFF"])
    print("install_consumer: find_package, pkg-config, installed tool and subproject agree")


if __name__ == "__main__":
    main()
