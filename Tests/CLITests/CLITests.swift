import Foundation
import Testing
import TestSupport
