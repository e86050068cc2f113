"""The fixed vocabulary of the synthetic course: words, glossary terms, instruments and figures."""
from __future__ import annotations

NOUNS = (
    "applicant", "application", "appointment", "archive", "booth", "briefing", "budget", "calendar",
    "caseworker", "certificate", "checklist", "clerk", "colleague", "complaint", "contract", "counter",
    "decision", "delay", "deadline", "desk", "document", "embassy", "employer", "entry", "envelope",
    "escalation", "evidence", "exception", "family", "fee", "file", "folder", "form", "guideline",
    "handbook", "hearing", "household", "incident", "interpreter", "interview", "invitation", "journey",
    "language", "ledger", "letter", "licence", "manager", "meeting", "message", "notice", "office",
    "officer", "outcome", "partner", "passport", "payment", "permit", "photograph", "policy", "procedure",
    "queue", "receipt", "record", "referral", "register", "report", "request", "residence", "review",
    "risk", "rule", "schedule", "signature", "situation", "stamp", "statement", "supervisor", "template",
    "ticket", "translation", "visa", "visitor", "waiting room", "witness", "workflow",
)
PLURALS = (
    "officers", "clerks", "caseworkers", "supervisors", "interpreters", "trainers", "new staff",
    "experienced colleagues", "managers", "visitors", "applicants", "partners", "teams", "volunteers",
    "liaison officers", "duty staff", "reviewers", "advisers",
)
VERBS = (
    "check", "record", "review", "explain", "confirm", "question", "compare", "escalate", "document",
    "verify", "discuss", "note", "prepare", "file", "return", "share", "protect", "assess", "weigh",
    "describe", "follow", "update", "refer", "schedule", "sign", "translate", "archive", "clarify",
    "summarise", "examine", "support", "handle", "approve", "reject", "track", "identify",
)
VERBS_S = (
    "checks", "records", "reviews", "explains", "confirms", "changes", "compares", "delays", "documents",
    "shapes", "affects", "follows", "updates", "reflects", "supports", "limits", "replaces", "requires",
    "protects", "reveals", "complicates", "settles", "clarifies", "outweighs", "precedes", "informs",
)
ADJECTIVES = (
    "careful", "clear", "complete", "confidential", "consistent", "current", "detailed", "difficult",
    "early", "formal", "frequent", "honest", "important", "incomplete", "informal", "late", "local",
    "missing", "new", "official", "open", "patient", "personal", "practical", "previous", "private",
    "quiet", "recent", "regular", "reliable", "routine", "safe", "second", "short", "signed", "simple",
    "slow", "specific", "standard", "sudden", "unusual", "urgent", "written", "young",
)
ADVERBS = (
    "carefully", "clearly", "quickly", "calmly", "promptly", "quietly", "fully", "always", "usually",
    "often", "rarely", "briefly", "politely", "directly", "openly", "consistently", "patiently",
)
PLACES = (
    "at the counter", "in the waiting room", "during the interview", "in the case file",
    "before the deadline", "after the appointment", "at the end of the day", "with the supervisor",
    "in writing", "over the telephone", "in the register", "at the first meeting", "in the office",
    "on the form", "before any decision", "in a private room", "with an interpreter present",
)
OPENERS = (
    "In practice", "At busy times", "As a rule", "On a normal day", "In most offices", "For a start",
    "Where possible", "In difficult cases", "Even so", "By contrast", "In the same way", "Later on",
    "For this reason", "At the start of a shift", "Once the file is open",
)

# (term, aliases, source): forty entries with distinct names and aliases.
TERMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("Applicant", ("applicants",), ""),
    ("Appointment slot", ("slot",), ""),
    ("Audit trail", ("audit log",), "@records-rules:4"),
    ("Biometric data", ("biometrics",), "@data-charter:3"),
    ("Case file", ("case files",), "@records-rules:2"),
    ("Case officer", ("case officers",), ""),
    ("Certified copy", ("certified copies",), ""),
    ("Chain of custody", ("custody chain",), "@records-rules:5"),
    ("Complaint procedure", ("complaints procedure",), "@service-code:7"),
    ("Confidentiality", ("confidential information",), "@data-charter:5"),
    ("Consent form", ("consent forms",), "@data-charter:4"),
    ("Counter service", ("counter services",), "@service-code:1"),
    ("Data controller", ("controller",), "@data-charter:2"),
    ("Data subject", ("data subjects",), "@data-charter:2"),
    ("Decision letter", ("decision letters",), ""),
    ("Dependant", ("dependants",), ""),
    ("Due diligence", ("diligence",), ""),
    ("Duty officer", ("duty officers",), ""),
    ("Emergency contact", ("emergency contacts",), ""),
    ("Escalation route", ("escalation routes",), "@service-code:5"),
    ("Fee waiver", ("fee waivers",), "@service-code:9"),
    ("Focal point", ("focal points",), ""),
    ("Identity document", ("identity documents", "ID"), "@travel-convention:3"),
    ("Informed consent", ("informed agreement",), "@data-charter:4"),
    ("Interpreter", ("interpreters",), ""),
    ("Liaison officer", ("liaison officers",), ""),
    ("Notice period", ("notice periods",), ""),
    ("Personal data", ("personal information",), "@data-charter:1"),
    ("Privacy notice", ("privacy notices",), "@data-charter:6"),
    ("Proof of address", ("address proof",), ""),
    ("Record retention", ("retention period",), "@records-rules:3"),
    ("Referral form", ("referral forms",), ""),
    ("Reasonable adjustment", ("reasonable adjustments",), "@equality-act:20"),
    ("Right of appeal", ("appeal right",), "@service-code:8"),
    ("Safeguarding", ("safeguarding duty",), "@equality-act:11"),
    ("Service standard", ("service standards",), "@service-code:2"),
    ("Sponsor", ("sponsors",), ""),
    ("Supporting document", ("supporting documents",), ""),
    ("Travel document", ("travel documents",), "@travel-convention:1"),
    ("Vulnerable person", ("vulnerable persons",), "@equality-act:11"),
)

# (id, short name, level, articles, adopted): five instruments, four or five articles each.
INSTRUMENTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...], str], ...] = (
    ("travel-convention", "Travel Documents Convention", "international",
     (("1", "Scope"), ("3", "Identity documents"), ("6", "Issue and renewal"), ("9", "Lost documents")),
     "1958-05-14"),
    ("data-charter", "Personal Data Charter", "regional",
     (("1", "Definitions"), ("2", "Controllers"), ("3", "Special categories"), ("4", "Consent"),
      ("5", "Confidentiality"), ("6", "Information to be given")), "1995-10-24"),
    ("equality-act", "Equal Treatment Act", "national",
     (("11", "Safeguarding"), ("15", "Access to services"), ("20", "Reasonable adjustments"),
      ("29", "Services and public functions")), "2010-04-08"),
    ("records-rules", "Public Records Rules", "national",
     (("2", "Case files"), ("3", "Retention"), ("4", "Audit"), ("5", "Custody")), "2004-06"),
    ("service-code", "Counter Service Code", "regional",
     (("1", "Purpose"), ("2", "Standards"), ("5", "Escalation"), ("7", "Complaints"), ("8", "Appeals"),
      ("9", "Fees")), "2016"),
)

# (file name, alt text) of the media every lesson draws one of.
FIGURES = (
    ("counter-layout.svg", "A plan of the counter with the queue, two windows and a private room"),
    ("case-workflow.svg", "Four boxes joined by arrows: request, check, decide, record"),
    ("escalation.svg", "A ladder of three steps from the clerk to the supervisor to the manager"),
    ("document-check.svg", "A passport page with the fields to check circled"),
    ("records-timeline.svg", "A timeline showing how long each kind of record is kept"),
)
