#include "models/observer.hpp"

namespace gogcsim {

const char* phase_name(GcPhase p) {
  switch (p) {
    case GcPhase::off: return "off";
    case GcPhase::sweep_termination: return "sweep_termination";
    case GcPhase::mark: return "mark";
    case GcPhase::mark_termination: return "mark_termination";
  }
  return "?";
}

const char* goal_bound_name(GoalBound b) {
  switch (b) {
    case GoalBound::gogc: return "gogc";
    case GoalBound::heap_minimum: return "heap_minimum";
    case GoalBound::memory_limit: return "memory_limit";
    case GoalBound::sweep_distance: return "sweep_distance";
    case GoalBound::min_runway: return "min_runway";
    case GoalBound::gogc_off: return "gogc_off";
  }
  return "?";
}

}  // namespace gogcsim
