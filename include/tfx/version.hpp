#pragma once
/// Version of the tool and of the JSON output schema.

namespace tfx {

inline constexpr const char* kVersion = "0.1.0";
/// Schema id written at the top of every JSON document and JSONL stream. Bumped on
/// any incompatible change to field names or meanings.
inline constexpr const char* kSchemaId = "tcpflow-explain/1";

}  // namespace tfx
