//! One file per breaking rule: `RULE` (ID, categories, docs) and `check`.
use super::engine::{Cx, Out};
use crate::rules::RuleInfo;

pub mod common;
pub mod enum_no_delete;
pub mod enum_same_json_format;
pub mod enum_same_type;
pub mod enum_value_no_delete;
pub mod enum_value_no_delete_unless_name_reserved;
pub mod enum_value_no_delete_unless_number_reserved;
pub mod enum_value_same_name;
pub mod extension_message_no_delete;
pub mod extension_no_delete;
pub mod field_no_delete;
pub mod field_no_delete_unless_name_reserved;
pub mod field_no_delete_unless_number_reserved;
pub mod field_same_cardinality;
pub mod field_same_cpp_string_type;
pub mod field_same_default;
pub mod field_same_java_utf8_validation;
pub mod field_same_json_name;
pub mod field_same_jstype;
pub mod field_same_name;
pub mod field_same_oneof;
pub mod field_same_type;
pub mod field_same_utf8_validation;
pub mod field_wire_compatible_cardinality;
pub mod field_wire_compatible_type;
pub mod field_wire_json_compatible_cardinality;
pub mod field_wire_json_compatible_type;
pub mod file_no_delete;
pub mod file_same_cc_enable_arenas;
pub mod file_same_cc_generic_services;
pub mod file_same_csharp_namespace;
pub mod file_same_go_package;
pub mod file_same_java_generic_services;
pub mod file_same_java_multiple_files;
pub mod file_same_java_outer_classname;
pub mod file_same_java_package;
pub mod file_same_objc_class_prefix;
pub mod file_same_optimize_for;
pub mod file_same_package;
pub mod file_same_php_class_prefix;
pub mod file_same_php_metadata_namespace;
pub mod file_same_php_namespace;
pub mod file_same_py_generic_services;
pub mod file_same_ruby_package;
pub mod file_same_swift_prefix;
pub mod file_same_syntax;
pub mod message_no_delete;
pub mod message_no_remove_standard_descriptor_accessor;
pub mod message_same_json_format;
pub mod message_same_required_fields;
pub mod nova_removed_field_reserved;
pub mod oneof_no_delete;
pub mod package_enum_no_delete;
pub mod package_extension_no_delete;
pub mod package_message_no_delete;
pub mod package_no_delete;
pub mod package_service_no_delete;
pub mod reserved_enum_no_delete;
pub mod reserved_message_no_delete;
pub mod rpc_no_delete;
pub mod rpc_same_client_streaming;
pub mod rpc_same_idempotency_level;
pub mod rpc_same_request_type;
pub mod rpc_same_response_type;
pub mod rpc_same_server_streaming;
pub mod service_no_delete;

/// A rule and its check.
pub type Check = fn(&Cx<'_>, &mut Out);

/// Every breaking rule, in ID order.
pub static ALL: &[(&RuleInfo, Check)] = &[
    (&enum_no_delete::RULE, enum_no_delete::check),
    (&enum_same_json_format::RULE, enum_same_json_format::check),
    (&enum_same_type::RULE, enum_same_type::check),
    (&enum_value_no_delete::RULE, enum_value_no_delete::check),
    (&enum_value_no_delete_unless_name_reserved::RULE, enum_value_no_delete_unless_name_reserved::check),
    (&enum_value_no_delete_unless_number_reserved::RULE, enum_value_no_delete_unless_number_reserved::check),
    (&enum_value_same_name::RULE, enum_value_same_name::check),
    (&extension_message_no_delete::RULE, extension_message_no_delete::check),
    (&extension_no_delete::RULE, extension_no_delete::check),
    (&field_no_delete::RULE, field_no_delete::check),
    (&field_no_delete_unless_name_reserved::RULE, field_no_delete_unless_name_reserved::check),
    (&field_no_delete_unless_number_reserved::RULE, field_no_delete_unless_number_reserved::check),
    (&field_same_cardinality::RULE, field_same_cardinality::check),
    (&field_same_cpp_string_type::RULE, field_same_cpp_string_type::check),
    (&field_same_default::RULE, field_same_default::check),
    (&field_same_java_utf8_validation::RULE, field_same_java_utf8_validation::check),
    (&field_same_json_name::RULE, field_same_json_name::check),
    (&field_same_jstype::RULE, field_same_jstype::check),
    (&field_same_name::RULE, field_same_name::check),
    (&field_same_oneof::RULE, field_same_oneof::check),
    (&field_same_type::RULE, field_same_type::check),
    (&field_same_utf8_validation::RULE, field_same_utf8_validation::check),
    (&field_wire_compatible_cardinality::RULE, field_wire_compatible_cardinality::check),
    (&field_wire_compatible_type::RULE, field_wire_compatible_type::check),
    (&field_wire_json_compatible_cardinality::RULE, field_wire_json_compatible_cardinality::check),
    (&field_wire_json_compatible_type::RULE, field_wire_json_compatible_type::check),
    (&file_no_delete::RULE, file_no_delete::check),
    (&file_same_cc_enable_arenas::RULE, file_same_cc_enable_arenas::check),
    (&file_same_cc_generic_services::RULE, file_same_cc_generic_services::check),
    (&file_same_csharp_namespace::RULE, file_same_csharp_namespace::check),
    (&file_same_go_package::RULE, file_same_go_package::check),
    (&file_same_java_generic_services::RULE, file_same_java_generic_services::check),
    (&file_same_java_multiple_files::RULE, file_same_java_multiple_files::check),
    (&file_same_java_outer_classname::RULE, file_same_java_outer_classname::check),
    (&file_same_java_package::RULE, file_same_java_package::check),
    (&file_same_objc_class_prefix::RULE, file_same_objc_class_prefix::check),
    (&file_same_optimize_for::RULE, file_same_optimize_for::check),
    (&file_same_package::RULE, file_same_package::check),
    (&file_same_php_class_prefix::RULE, file_same_php_class_prefix::check),
    (&file_same_php_metadata_namespace::RULE, file_same_php_metadata_namespace::check),
    (&file_same_php_namespace::RULE, file_same_php_namespace::check),
    (&file_same_py_generic_services::RULE, file_same_py_generic_services::check),
    (&file_same_ruby_package::RULE, file_same_ruby_package::check),
    (&file_same_swift_prefix::RULE, file_same_swift_prefix::check),
    (&file_same_syntax::RULE, file_same_syntax::check),
    (&message_no_delete::RULE, message_no_delete::check),
    (&message_no_remove_standard_descriptor_accessor::RULE, message_no_remove_standard_descriptor_accessor::check),
    (&message_same_json_format::RULE, message_same_json_format::check),
    (&message_same_required_fields::RULE, message_same_required_fields::check),
    (&nova_removed_field_reserved::RULE, nova_removed_field_reserved::check),
    (&oneof_no_delete::RULE, oneof_no_delete::check),
    (&package_enum_no_delete::RULE, package_enum_no_delete::check),
    (&package_extension_no_delete::RULE, package_extension_no_delete::check),
    (&package_message_no_delete::RULE, package_message_no_delete::check),
    (&package_no_delete::RULE, package_no_delete::check),
    (&package_service_no_delete::RULE, package_service_no_delete::check),
    (&reserved_enum_no_delete::RULE, reserved_enum_no_delete::check),
    (&reserved_message_no_delete::RULE, reserved_message_no_delete::check),
    (&rpc_no_delete::RULE, rpc_no_delete::check),
    (&rpc_same_client_streaming::RULE, rpc_same_client_streaming::check),
    (&rpc_same_idempotency_level::RULE, rpc_same_idempotency_level::check),
    (&rpc_same_request_type::RULE, rpc_same_request_type::check),
    (&rpc_same_response_type::RULE, rpc_same_response_type::check),
    (&rpc_same_server_streaming::RULE, rpc_same_server_streaming::check),
    (&service_no_delete::RULE, service_no_delete::check),
];
