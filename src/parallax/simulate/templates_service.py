"""What the company hears through its own channels: survey comments, tickets and agent notes."""

from __future__ import annotations

COMMENTS: dict[str, tuple[str, ...]] = {
    "bad_delay": (
        "Delayed {delay} with very little information.",
        "The delay was long and nobody explained why.",
        "Missed my connection because of the delay on {flight}.",
        "Too late, too often. Please fix punctuality on {route}.",
    ),
    "bad_cancel": (
        "Flight cancelled and rebooking was a nightmare.",
        "Cancelled with no help offered. Had to pay for a hotel myself.",
        "After the cancellation I was passed from desk to desk.",
    ),
    "bad_baggage": (
        "My bag did not arrive and the baggage desk was unhelpful.",
        "Lost luggage, still not back. Very stressful.",
        "Waited over an hour for bags at {origin}.",
    ),
    "bad_general": (
        "Poor experience overall.",
        "Seat was uncomfortable and the crew seemed overwhelmed.",
        "Not what I expected for the price.",
        "Service has gone downhill.",
        "Staff were not helpful when I asked a question.",
    ),
    "neutral": (
        "It was fine.",
        "Okay flight, nothing special.",
        "Average. Boarding could be quicker.",
        "Fine but the food could be better.",
        "A bit late but acceptable.",
    ),
    "good": (
        "Great crew, thank you.",
        "Smooth flight and on time.",
        "Very friendly staff at {origin}.",
        "Comfortable seat and good service.",
        "Easy check-in and boarding.",
        "Excellent, as always.",
        "Good value, will fly again.",
    ),
}

SUBJECTS: dict[str, tuple[str, ...]] = {
    "baggage": (
        "Missing bag",
        "Delayed baggage {flight}",
        "Lost luggage claim",
        "Bag not arrived at {destination}",
    ),
    "refunds": (
        "Refund request {ref}",
        "Cancelled flight refund",
        "Compensation claim {flight}",
        "Refund status",
    ),
    "rebooking": (
        "Rebooking after cancellation",
        "Missed connection",
        "Need new flight {ref}",
        "Change of flight",
    ),
    "complaints": ("Complaint about {flight}", "Poor service", "Seat problem", "Feedback on my trip"),
    "loyalty": (
        "Lounge access denied",
        "Status benefits not applied",
        "Missing miles {flight}",
        "Upgrade issue",
    ),
}
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "baggage": (
        "My suitcase did not arrive on {flight} from {origin} to {destination}. Booking {ref}. Please help.",
        "Hello, my name is {name}. My bag never came off {flight} at {destination}. Ref {ref}.",
        "I filed a missing bag report at {destination} but have heard nothing. Ref {ref}.",
        "Bag delayed on {route}. I need my medication urgently. Booking {ref}.",
    ),
    "refunds": (
        "{flight} was cancelled. I would like a full refund to my card. Booking {ref}.",
        "Dear {brand}, this is {name}. Please refund booking {ref} after the {delay} delay on {flight}.",
        "Requesting compensation for a {delay} delay on {flight}. Ref {ref}.",
        "I was told I would get a refund within 7 days. It has been longer. Booking {ref}.",
    ),
    "rebooking": (
        "My flight {flight} was cancelled and I need to get to {dest_city} as soon as possible. Ref {ref}.",
        "Missed my connection after {flight} was delayed {delay}. Please rebook me. Booking {ref}.",
        "The app would not let me rebook after the cancellation. Booking {ref}.",
    ),
    "complaints": (
        "I want to complain about my experience on {flight}. The seat was broken and the crew unhelpful.",
        "Very poor service on {route}. Booking {ref}. I expect a response.",
        "Problems from check-in at {origin} to landing. Ref {ref}.",
    ),
    "loyalty": (
        "I am a gold member and was refused entry to the lounge at {origin} before {flight}.",
        "My status benefits were not applied on booking {ref}.",
        "Miles for {flight} are missing from my account. Ref {ref}.",
    ),
}
NOTES: dict[str, tuple[str, ...]] = {
    "opened": (
        "Customer reports issue on {flight} ({route}). Booking {ref}. Verified identity.",
        "Checked booking {ref}: {flight} {route}. Case logged, asked for documents.",
        "Customer upset, {delay} disruption on {flight}. Explained process.",
        "Spoke to {name} about {ref}; {flight} {route}. Promised a call back.",
    ),
    "progress": (
        "Customer says a colleague told them something different. Clarified policy.",
        "Customer contacted again, still waiting. Escalated to supervisor.",
        "No update from operations for {flight}. Holding reply sent.",
    ),
    "resolved": (
        "Resolved: bag delivered to customer address. Closing.",
        "Refund processed for {ref}. Customer confirmed. Closing.",
        "Rebooked and voucher issued. Customer satisfied. Closing.",
        "Apologised and issued miles goodwill. Customer accepted.",
    ),
    "closed_unresolved": (
        "Closed per policy after 72h without reply. Issue not confirmed fixed.",
        "Closed: outside compensation rules. Customer disagrees.",
        "Closing duplicate of earlier case; bag still not located.",
        "Auto-closed by workflow; refund still pending with finance.",
    ),
}
PROGRESS_BY_QUEUE: dict[str, tuple[str, ...]] = {
    "baggage": (
        "Chased baggage team for {ref}, no trace yet. Told customer 48h.",
        "Bag traced to {origin}, forwarding.",
    ),
    "refunds": ("Refund request passed to finance for {ref}. Customer asked for an update.",),
    "rebooking": ("Offered next available flight on {route}; customer considering.",),
    "complaints": ("Asked cabin crew report for {flight}. Waiting.",),
    "loyalty": (
        "Checked lounge policy at {origin} with station manager.",
        "Tier benefits verified for {ref}.",
    ),
}
