// The annotation list of a segment.

#include "tfx/segment.hpp"

#include <algorithm>

namespace tfx {

bool AnnotatedSegment::has(AnnotationCode code) const {
    return std::any_of(annotations.begin(), annotations.begin() + annotation_count,
                       [code](const Annotation& a) { return a.code == code; });
}

void AnnotatedSegment::add(const Annotation& a) {
    if (annotation_count < kMaxAnnotations) {
        annotations[annotation_count++] = a;
        return;
    }
    annotations[kMaxAnnotations - 1] = Annotation{AnnotationCode::AnalysisLimit, 0, 0, 0};
}

}  // namespace tfx
