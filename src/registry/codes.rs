//! The registry's vocabulary as typed values, each with the code stored in the database and
//! used on the command line. Codes are turned into values and back here and nowhere else:
//! screens and rules compare values, never text.

/// An enum whose variants each have one stored code: `ALL`, `code()`, `from_code()`,
/// `Display` (the code) and `Serialize` (the code, so JSON keeps the stored vocabulary).
macro_rules! stored_codes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in the order the desk lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database and typed on the command line.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The value of a stored or typed code; `None` for anything else.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }
    };
}

pub(crate) use stored_codes;

/// A stored code the registry does not know (a damaged or newer database): an error, so a
/// row is never shown as something it is not.
pub(crate) fn parse<T>(
    what: &'static str,
    code: &str,
    from_code: fn(&str) -> Option<T>,
) -> Result<T, super::RegistryError> {
    from_code(code).ok_or_else(|| super::RegistryError::UnknownStoredCode {
        what,
        code: code.to_string(),
    })
}
