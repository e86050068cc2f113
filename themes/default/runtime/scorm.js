/* Coursewright SCORM adapters (SCORM 2004 4th edition and SCORM 1.2).
   Registers tracker factories in Coursewright.trackers; see docs/architecture.md. */
(function () {
  "use strict";
})();
