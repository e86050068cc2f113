"""A small LMS for the tests: scorm-again on an http host page that frames or opens the course."""
