"""The registrar's certificate office (issue 56): academic records imported from the
student-information system (:mod:`.importing`) and read back (:mod:`.records`)."""

__all__: list[str] = []
