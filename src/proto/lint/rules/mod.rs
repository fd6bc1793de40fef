//! One file per lint rule: buf's 45 rules under buf's IDs, then nova's own.
use crate::proto::lint::ctx::CheckFn;
use crate::rules::RuleInfo;

pub mod comment_enum;
pub mod comment_enum_value;
pub mod comment_field;
pub mod comment_message;
pub mod comment_oneof;
pub mod comment_rpc;
pub mod comment_service;
pub mod directory_same_package;
pub mod enum_first_value_zero;
pub mod enum_no_allow_alias;
pub mod enum_pascal_case;
pub mod enum_value_prefix;
pub mod enum_value_upper_snake_case;
pub mod enum_zero_value_suffix;
pub mod field_lower_snake_case;
pub mod field_not_required;
pub mod file_lower_snake_case;
pub mod import_no_public;
pub mod import_used;
pub mod message_pascal_case;
pub mod nova_field_number_range;
pub mod nova_package_versioned;
pub mod oneof_lower_snake_case;
pub mod package_defined;
pub mod package_directory_match;
pub mod package_lower_snake_case;
pub mod package_no_import_cycle;
pub mod package_same_csharp_namespace;
pub mod package_same_directory;
pub mod package_same_go_package;
pub mod package_same_java_multiple_files;
pub mod package_same_java_package;
pub mod package_same_php_namespace;
pub mod package_same_ruby_package;
pub mod package_same_swift_prefix;
pub mod package_version_suffix;
pub mod protovalidate;
pub mod rpc_no_client_streaming;
pub mod rpc_no_server_streaming;
pub mod rpc_pascal_case;
pub mod rpc_request_response_unique;
pub mod rpc_request_standard_name;
pub mod rpc_response_standard_name;
pub mod service_pascal_case;
pub mod service_suffix;
pub mod stable_package_no_import_unstable;
pub mod syntax_specified;

/// Every proto lint rule with its checker, in registry order.
pub static CHECKS: &[(&RuleInfo, CheckFn)] = &[
    (&directory_same_package::RULE, directory_same_package::check),
    (&package_defined::RULE, package_defined::check),
    (&package_directory_match::RULE, package_directory_match::check),
    (&package_no_import_cycle::RULE, package_no_import_cycle::check),
    (&package_same_directory::RULE, package_same_directory::check),
    (&enum_first_value_zero::RULE, enum_first_value_zero::check),
    (&enum_no_allow_alias::RULE, enum_no_allow_alias::check),
    (&enum_pascal_case::RULE, enum_pascal_case::check),
    (&enum_value_upper_snake_case::RULE, enum_value_upper_snake_case::check),
    (&field_lower_snake_case::RULE, field_lower_snake_case::check),
    (&message_pascal_case::RULE, message_pascal_case::check),
    (&oneof_lower_snake_case::RULE, oneof_lower_snake_case::check),
    (&rpc_pascal_case::RULE, rpc_pascal_case::check),
    (&service_pascal_case::RULE, service_pascal_case::check),
    (&field_not_required::RULE, field_not_required::check),
    (&import_no_public::RULE, import_no_public::check),
    (&import_used::RULE, import_used::check),
    (&package_lower_snake_case::RULE, package_lower_snake_case::check),
    (&package_same_csharp_namespace::RULE, package_same_csharp_namespace::check),
    (&package_same_go_package::RULE, package_same_go_package::check),
    (&package_same_java_multiple_files::RULE, package_same_java_multiple_files::check),
    (&package_same_java_package::RULE, package_same_java_package::check),
    (&package_same_php_namespace::RULE, package_same_php_namespace::check),
    (&package_same_ruby_package::RULE, package_same_ruby_package::check),
    (&package_same_swift_prefix::RULE, package_same_swift_prefix::check),
    (&syntax_specified::RULE, syntax_specified::check),
    (&enum_value_prefix::RULE, enum_value_prefix::check),
    (&enum_zero_value_suffix::RULE, enum_zero_value_suffix::check),
    (&file_lower_snake_case::RULE, file_lower_snake_case::check),
    (&package_version_suffix::RULE, package_version_suffix::check),
    (&protovalidate::RULE, protovalidate::check),
    (&rpc_request_response_unique::RULE, rpc_request_response_unique::check),
    (&rpc_request_standard_name::RULE, rpc_request_standard_name::check),
    (&rpc_response_standard_name::RULE, rpc_response_standard_name::check),
    (&service_suffix::RULE, service_suffix::check),
    (&comment_enum::RULE, comment_enum::check),
    (&comment_enum_value::RULE, comment_enum_value::check),
    (&comment_field::RULE, comment_field::check),
    (&comment_message::RULE, comment_message::check),
    (&comment_oneof::RULE, comment_oneof::check),
    (&comment_rpc::RULE, comment_rpc::check),
    (&comment_service::RULE, comment_service::check),
    (&rpc_no_client_streaming::RULE, rpc_no_client_streaming::check),
    (&rpc_no_server_streaming::RULE, rpc_no_server_streaming::check),
    (&stable_package_no_import_unstable::RULE, stable_package_no_import_unstable::check),
    (&nova_field_number_range::RULE, nova_field_number_range::check),
    (&nova_package_versioned::RULE, nova_package_versioned::check),
];

pub static ALL: &[&RuleInfo] = &[
    &directory_same_package::RULE,
    &package_defined::RULE,
    &package_directory_match::RULE,
    &package_no_import_cycle::RULE,
    &package_same_directory::RULE,
    &enum_first_value_zero::RULE,
    &enum_no_allow_alias::RULE,
    &enum_pascal_case::RULE,
    &enum_value_upper_snake_case::RULE,
    &field_lower_snake_case::RULE,
    &message_pascal_case::RULE,
    &oneof_lower_snake_case::RULE,
    &rpc_pascal_case::RULE,
    &service_pascal_case::RULE,
    &field_not_required::RULE,
    &import_no_public::RULE,
    &import_used::RULE,
    &package_lower_snake_case::RULE,
    &package_same_csharp_namespace::RULE,
    &package_same_go_package::RULE,
    &package_same_java_multiple_files::RULE,
    &package_same_java_package::RULE,
    &package_same_php_namespace::RULE,
    &package_same_ruby_package::RULE,
    &package_same_swift_prefix::RULE,
    &syntax_specified::RULE,
    &enum_value_prefix::RULE,
    &enum_zero_value_suffix::RULE,
    &file_lower_snake_case::RULE,
    &package_version_suffix::RULE,
    &protovalidate::RULE,
    &rpc_request_response_unique::RULE,
    &rpc_request_standard_name::RULE,
    &rpc_response_standard_name::RULE,
    &service_suffix::RULE,
    &comment_enum::RULE,
    &comment_enum_value::RULE,
    &comment_field::RULE,
    &comment_message::RULE,
    &comment_oneof::RULE,
    &comment_rpc::RULE,
    &comment_service::RULE,
    &rpc_no_client_streaming::RULE,
    &rpc_no_server_streaming::RULE,
    &stable_package_no_import_unstable::RULE,
    &nova_field_number_range::RULE,
    &nova_package_versioned::RULE,
];
