import Hummingbird
import ServerStore
import SyncCore

// The protocol's response bodies leave through the context's encoder (``SyncJSON``).
extension LoginResponse: @retroactive ResponseEncodable {}
extension PushResult: @retroactive ResponseEncodable {}
extension PullPage: @retroactive ResponseEncodable {}
extension ConflictListing: @retroactive ResponseEncodable {}
extension AttachmentStatus: @retroactive ResponseEncodable {}
extension AuditPage: ResponseEncodable {}
