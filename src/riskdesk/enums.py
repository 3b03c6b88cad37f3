"""Enumerations shared by the store, the service layer, scoring, exports and the UI.

Values are stored in the database as their lower-case string value, so renaming a
*label* is safe but renaming a *value* needs a migration. Each enum's members are
ordered from least to most exposed where that order means something: scoring relies
on ``ordinal()``.
"""

from __future__ import annotations

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum with a plain-words label and a position in its order."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())

    def ordinal(self) -> int:
        # Scoring and gap checks call this per use; member lists are tiny but the
        # calls are many (10,000 uses), so the position is looked up, not searched.
        return _ordinals(type(self))[self.value]

    @classmethod
    def parse(cls, text: object) -> LabelledEnum:
        """Accept a value or a label in any case, with stray whitespace.

        Raises ``ValueError`` listing the allowed labels, so importers and the CLI
        can show a helpful message.
        """
        if isinstance(text, cls):
            return text
        if isinstance(text, str):
            exact = cls._value2member_map_.get(text)  # the stored value: the common case
            if exact is not None:
                return exact  # type: ignore[return-value]
        key = " ".join(str(text).split()).casefold().replace("-", " ").replace("_", " ")
        for member in cls:
            if key in (
                member.value.replace("_", " ").casefold(),
                member.label.casefold().replace("-", " "),
            ):
                return member
        allowed = ", ".join(m.label for m in cls)
        raise ValueError(f"{text!r} is not one of: {allowed}")


_ORDINALS: dict[type[LabelledEnum], dict[str, int]] = {}


def _ordinals(cls: type[LabelledEnum]) -> dict[str, int]:
    found = _ORDINALS.get(cls)
    if found is None:
        found = _ORDINALS[cls] = {m.value: i for i, m in enumerate(cls)}
    return found


class Stage(LabelledEnum):
    # Nobody said: a use recorded (or imported) without its stage is not claimed to be
    # in production, nor at the earliest stage. Counted as in use (it may well be).
    NOT_STATED = "not_stated"
    IDEA = "idea"
    DEVELOPMENT = "development"
    PILOT = "pilot"
    PRODUCTION = "production"
    RETIRED = "retired"


class Sourcing(LabelledEnum):
    """How the use is built or bought."""

    # Nobody said: a new or imported use is not claimed to be a SaaS feature (or
    # anything else) before anyone has said how it is built or bought.
    NOT_STATED = "not_stated"
    SAAS_EMBEDDED = "saas_embedded"
    VENDOR_API = "vendor_api"
    OPEN_MODEL = "open_model"
    FINE_TUNED = "fine_tuned"
    IN_HOUSE = "in_house"


class DecisionRole(LabelledEnum):
    NONE = "none"
    INFORMS_STAFF = "informs_staff"
    RECOMMENDS = "recommends"
    DECIDES_WITH_REVIEW = "decides_with_review"
    DECIDES_AUTOMATICALLY = "decides_automatically"


class Autonomy(LabelledEnum):
    NONE = "none"
    ASSISTIVE = "assistive"
    AGENT_READ = "agent_read"
    AGENT_WRITE_APPROVAL = "agent_write_approval"
    AGENT_AUTONOMOUS = "agent_autonomous"


class DataSensitivity(LabelledEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    CHILDREN_SPECIAL = "children_special"


class HarmSeverity(LabelledEnum):
    NEGLIGIBLE = "negligible"
    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"
    SEVERE = "severe"


class Reversibility(LabelledEnum):
    REVERSIBLE = "reversible"
    HARD_TO_REVERSE = "hard_to_reverse"
    IRREVERSIBLE = "irreversible"


class HumanOversight(LabelledEnum):
    # Nobody said: a new or imported use is not claimed to have a human in the loop
    # (the most reassuring answer) before anyone has said so.
    NOT_STATED = "not_stated"
    IN_THE_LOOP = "in_the_loop"
    ON_THE_LOOP = "on_the_loop"
    NONE = "none"


class EUAIActClass(LabelledEnum):
    NOT_ASSESSED = "not_assessed"
    MINIMAL = "minimal"
    TRANSPARENCY = "transparency"
    HIGH_RISK = "high_risk"
    PROHIBITED = "prohibited"


class Line(LabelledEnum):
    """The three lines model."""

    FIRST = "first"
    SECOND = "second"
    THIRD = "third"


class Tier(LabelledEnum):
    """Exposure tiers, then "Not assessed" for a use whose answers are not all known.

    ``NOT_ASSESSED`` comes last, so it sorts *above* Critical: nothing is known to bound
    it (an unanswered EU AI Act class could be a prohibited practice), and it is the
    register's first piece of work. It is never a scored tier: thresholds, review
    cadence and the ladder use ``SCORED_TIERS``.
    """

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    CRITICAL = "critical"
    NOT_ASSESSED = "not_assessed"


# The tiers a score can fall in, least to most exposed.
SCORED_TIERS: tuple[Tier, ...] = (Tier.LOW, Tier.MODERATE, Tier.HIGH, Tier.CRITICAL)


class Assessment(LabelledEnum):
    """How many of a use's exposure questions have an answer."""

    NOT_ASSESSED = "not_assessed"  # none
    PARTLY = "partly"  # some
    ASSESSED = "assessed"  # all: the use has a tier


class Band(LabelledEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Treatment(LabelledEnum):
    MITIGATE = "mitigate"
    ACCEPT = "accept"
    TRANSFER = "transfer"
    AVOID = "avoid"


class RiskStatus(LabelledEnum):
    OPEN = "open"
    TREATING = "treating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class ControlType(LabelledEnum):
    PREVENTIVE = "preventive"
    DETECTIVE = "detective"
    CORRECTIVE = "corrective"
    DIRECTIVE = "directive"


class ControlStatus(LabelledEnum):
    PLANNED = "planned"
    IMPLEMENTED = "implemented"
    TESTED = "tested"
    LAPSED = "lapsed"
    RETIRED = "retired"


class VendorKind(LabelledEnum):
    MODEL_PROVIDER = "model_provider"
    PLATFORM = "platform"
    SAAS = "saas"
    OTHER = "other"


class IncidentKind(LabelledEnum):
    # Nobody said which: an event logged without its kind is not claimed to be a near
    # miss (the reassuring answer), nor counted among the incidents.
    NOT_STATED = "not_stated"
    NEAR_MISS = "near_miss"
    INCIDENT = "incident"
    ROLLBACK = "rollback"
    SHUTDOWN = "shutdown"


class IncidentStatus(LabelledEnum):
    """Where an incident stands: open until contained, closed once the lessons are in."""

    OPEN = "open"
    CONTAINED = "contained"
    CLOSED = "closed"


class Severity(LabelledEnum):
    # Nobody rated it yet: a newly logged incident is not claimed to be Low.
    NOT_STATED = "not_stated"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class ChallengeStatus(LabelledEnum):
    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    ESCALATED = "escalated"


class PaperSize(LabelledEnum):
    A4 = "a4"
    LETTER = "letter"


class EvidenceKind(LabelledEnum):
    POLICY = "policy"
    CONTRACT = "contract"  # contracts and data processing agreements
    TEST_RESULT = "test_result"
    ASSESSMENT = "assessment"
    MODEL_CARD = "model_card"
    SCREENSHOT = "screenshot"
    OTHER = "other"


class PermissionAccess(LabelledEnum):  # issue 17; ordered from least to most power
    READ = "read"
    WRITE = "write"
    DELETE = "delete"
    EXECUTE = "execute"
    SPEND_MONEY = "spend_money"
    SEND_MESSAGES = "send_messages"


class PermissionEnvironment(LabelledEnum):  # issue 17
    DEVELOPMENT = "development"
    STAGING = "staging"
    PRODUCTION = "production"
    PERSONAL_DATA_STORE = "personal_data_store"


class ReviewOutcome(LabelledEnum):  # issue 17: what a permission review did to a permission
    KEPT = "kept"
    REDUCED = "reduced"
    REMOVED = "removed"


_LABELS: dict[str, str] = {
    "saas_embedded": "SaaS with embedded AI",
    "vendor_api": "Vendor model via API",
    "open_model": "Open model, self-hosted",
    "fine_tuned": "Fine-tuned model",
    "in_house": "Built in house",
    "informs_staff": "Informs staff",
    "recommends": "Recommends about people",
    "decides_with_review": "Decides, with human review",
    "decides_automatically": "Decides automatically",
    "assistive": "Assistive (suggests only)",
    "agent_read": "Agent with read-only tools",
    "agent_write_approval": "Agent that writes, with approval",
    "agent_autonomous": "Agent acting without approval",
    "children_special": "Children's or special-category",
    "hard_to_reverse": "Hard to reverse",
    "in_the_loop": "Human in the loop",
    "on_the_loop": "Human on the loop",
    "not_assessed": "Not assessed",
    "partly": "Partly assessed",
    "high_risk": "High-risk (Annex III)",
    "prohibited": "Prohibited (Article 5)",
    "transparency": "Transparency obligations",
    "first": "1st line",
    "second": "2nd line",
    "third": "3rd line",
    "model_provider": "Model provider",
    "saas": "SaaS",
    "near_miss": "Near miss",
    "a4": "A4",
    "letter": "Letter",
    "contract": "Contract/DPA",
}
