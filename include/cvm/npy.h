// NumPy .npy tensor files (spec/model/npy.rst).
//
// cvm reads and writes int8 and int32 tensors in NumPy's .npy format so that
// model inputs and outputs can be exchanged with Python tooling. The reader is
// strict: it accepts exactly the files the spec page describes and rejects
// anything else with a LogicError naming an npy_cN label (the file is the
// caller's). It never trusts a size from the file before checking it, so a
// hostile file cannot make it allocate more than the file itself holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cvm/shape.h"

namespace cvm {

/// Element type of a .npy file cvm reads or writes.
enum class NpyDtype { kInt8, kInt32 };

/// A tensor as stored in a .npy file: row-major (C order) data of `shape`.
/// int8 values are sign-extended into `data`, so both dtypes share one
/// representation.
struct NpyArray {
  Shape shape;
  NpyDtype dtype = NpyDtype::kInt32;
  std::vector<int32_t> data;
};

/// Parses the whole contents of a .npy file. `what` names the file in error
/// messages (e.g. its path). Throws LogicError labelled npy_c1 ... npy_c11 on
/// anything the spec does not accept.
NpyArray parse_npy(std::string_view bytes, std::string_view what);

/// Reads and parses the .npy file at `path`. A failure to open or read the
/// file is a RuntimeError labelled "io"; then as parse_npy. Reads no more of
/// the file than the checked header says the data holds (plus one byte to
/// detect trailing data).
NpyArray read_npy(const std::string& path);

/// Serialises `a` as a version 1.0 .npy file: descr '<i4' or '|i1',
/// fortran_order False, the header padded with spaces and ended by '\n' so the
/// data starts at a multiple of 64 bytes. Throws LogicError when `a` could not
/// be read back: its shape violates npy_c8 ... npy_c10, its dtype is not one of
/// the enumerators or its data does not hold exactly |shape| values (npy_c12),
/// or an int8 value is outside [-128, 127] (npy_c13).
std::string serialize_npy(const NpyArray& a);

/// Serialises `a` (as serialize_npy) and writes it to `path`, replacing the
/// file. A failure to write is a RuntimeError labelled "io".
void write_npy(const std::string& path, const NpyArray& a);

}  // namespace cvm
