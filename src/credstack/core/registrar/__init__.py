"""The registrar's academic records, pure (issue 56): grade scales and the GPA rule
(:mod:`.grades`), the student-information system's export read and checked (:mod:`.records`)."""
